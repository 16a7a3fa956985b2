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

  it('renders a pipe table, an escaped pipe staying in its cell', () => {
    const source = '| 村 | 党员数 | 完成情况 |\n| --- | --- | --- |\n| 耿沟村 | **86** | 已完成 |\n| 小店村 | 120 | 进行中\\|复查 |\n|   | 2 |';
    expect(parseMarkdown(source)).toEqual([
      {
        kind: 'table',
        head: ['村', '党员数', '完成情况'],
        rows: [
          ['耿沟村', '**86**', '已完成'],
          ['小店村', '120', '进行中\\|复查'],
          ['', '2'],
        ],
      },
    ]);
    const { container } = render(<Markdown source={`前言\n${source}\n\n后记`} />);
    expect([...container.querySelectorAll('th')].map((c) => c.textContent)).toEqual(['村', '党员数', '完成情况']);
    expect([...container.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent))).toEqual([
      ['耿沟村', '86', '已完成'],
      ['小店村', '120', '进行中|复查'],
      ['', '2', ''],
    ]);
    expect(screen.getByText('86').tagName).toBe('STRONG');
    expect(screen.getByText('前言').tagName).toBe('DIV');
    expect(screen.getByText('后记')).toBeInTheDocument();
  });

  it('nests lists by indentation', () => {
    const { container } = render(<Markdown source={'1. 一\n   - 甲\n   - 乙\n2. 二\n- 另一\n'} />);
    const top = container.querySelector('.markdown-body > ol');
    expect(top?.children).toHaveLength(2);
    expect([...(top?.querySelectorAll(':scope > li > ul > li') ?? [])].map((li) => li.textContent)).toEqual(['甲', '乙']);
  });

  it('shows escaped marks as they are', () => {
    const { container } = render(<Markdown source={'\\# 不是标题\n\n1\\. 不是列表，\\*不是强调\\*，a\\_b'} />);
    expect(container.querySelector('h1, h2, ol, em')).toBeNull();
    expect(container.textContent).toBe('# 不是标题1. 不是列表，*不是强调*，a_b');
  });

  it('never renders HTML from the text', () => {
    const { container } = render(<Markdown source={'<img src=x onerror="alert(1)"> <b>bold</b>'} />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('b')).toBeNull();
    expect(container.textContent).toContain('<img src=x');
  });
});
