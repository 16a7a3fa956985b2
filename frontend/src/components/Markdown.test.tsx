import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { Markdown, parseMarkdown } from './Markdown';

describe('Markdown', () => {
  it('parses headings, lists, quotes, code and paragraphs', () => {
    expect(parseMarkdown('# 标题\n\n第一段\n续行\n\n- 甲\n- 乙\n\n1. 一\n2. 二\n\n> 引用\n\n```\ncode\n```').map((b) => b.kind)).toEqual([
      'heading',
      'paragraph',
      'list',
      'list',
      'quote',
      'code',
    ]);
  });

  it('renders inline marks and safe links only', () => {
    render(<Markdown source={'**重点** 与 *强调* 与 `代码`，[网站](https://example.cn) 和 [坏链接](javascript:alert(1))'} />);
    expect(screen.getByText('重点').tagName).toBe('STRONG');
    expect(screen.getByText('强调').tagName).toBe('EM');
    expect(screen.getByText('代码').tagName).toBe('CODE');
    expect(screen.getByRole('link', { name: '网站' })).toHaveAttribute('href', 'https://example.cn');
    expect(screen.queryByRole('link', { name: '坏链接' })).not.toBeInTheDocument();
    expect(screen.getByText('坏链接').tagName).toBe('SPAN');
  });

  it('never renders HTML from the text', () => {
    const { container } = render(<Markdown source={'<img src=x onerror="alert(1)"> <b>bold</b>'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<img src=x');
  });
});
