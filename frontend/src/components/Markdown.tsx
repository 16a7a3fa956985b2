import { Typography } from 'antd';
import type { ReactNode } from 'react';

/**
 * A small, safe Markdown renderer for report text: headings, paragraphs, lists (nested by
 * indentation), pipe tables, quotes, code blocks, **bold**, *italic*, `code`, http(s) links and
 * backslash escapes (`\*` is a star). It builds React elements, never HTML.
 */

// An escaped punctuation mark stands in the text as a private-use character until it is shown, so
// that no rule below reads it as Markdown.
const ESCAPED = /\\([!-/:-@[-`{-~])/g;
const PROTECTED = /[\ue000-\ue07f]/g;

function protect(text: string): string {
  return text.replace(ESCAPED, (_, c: string) => String.fromCharCode(0xe000 + c.charCodeAt(0)));
}

function restore(text: string): string {
  return text.replace(PROTECTED, (c) => String.fromCharCode(c.charCodeAt(0) - 0xe000));
}

const INLINE = /(\*\*[^*]+\*\*|\*[^*\s][^*]*\*|`[^`]+`|\[[^\]]+\]\([^)\s]+\))/g;

function inline(source: string, key: string): ReactNode[] {
  return protect(source)
    .split(INLINE)
    .map((part, i) => {
      const k = `${key}-${i}`;
      if (part.startsWith('**') && part.endsWith('**') && part.length > 4) return <strong key={k}>{restore(part.slice(2, -2))}</strong>;
      if (part.startsWith('`') && part.endsWith('`') && part.length > 2) return <code key={k}>{restore(part.slice(1, -1))}</code>;
      if (part.startsWith('*') && part.endsWith('*') && part.length > 2) return <em key={k}>{restore(part.slice(1, -1))}</em>;
      const link = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(part);
      if (link) {
        const label = restore(link[1] ?? '');
        const href = restore(link[2] ?? '');
        return /^https?:\/\//i.test(href) ? (
          <a key={k} href={href} target="_blank" rel="noopener noreferrer">
            {label}
          </a>
        ) : (
          <span key={k}>{label}</span>
        );
      }
      return restore(part);
    });
}

export interface ListBlock {
  kind: 'list';
  ordered: boolean;
  items: { text: string; children: ListBlock[] }[];
}

const BULLET = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;
const DELIMITER_ROW = /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/** The lists of consecutive list lines, each line indented deeper than the one before it nested under it. */
function parseList(lines: string[]): ListBlock[] {
  const entries = lines.map((line) => {
    const [, indent = '', marker = '-', text = ''] = BULLET.exec(line) ?? [];
    return { indent: indent.length, ordered: /\d/.test(marker), text };
  });
  let at = 0;
  const level = (indent: number): ListBlock => {
    const list: ListBlock = { kind: 'list', ordered: entries[at]?.ordered ?? false, items: [] };
    while (at < entries.length && (entries[at]?.indent ?? 0) >= indent) {
      const entry = entries[at];
      if (!entry) break;
      if (entry.indent > indent && list.items.length > 0) {
        list.items[list.items.length - 1]?.children.push(level(entry.indent));
        continue;
      }
      // A bullet where numbers were (or the other way round) starts another list.
      if (entry.ordered !== list.ordered) break;
      list.items.push({ text: entry.text, children: [] });
      at += 1;
    }
    return list;
  };
  const lists: ListBlock[] = [];
  while (at < entries.length) lists.push(level(entries[at]?.indent ?? 0));
  return lists;
}

function isTableStart(lines: string[], i: number): boolean {
  return (lines[i] ?? '').trim().startsWith('|') && DELIMITER_ROW.test(lines[i + 1] ?? '');
}

/** A table row's cells (an escaped \\| stays inside its cell). */
function cells(line: string): string[] {
  const parts = protect(line.trim()).split('|');
  if (parts[0]?.trim() === '') parts.shift();
  if (parts.length > 0 && parts[parts.length - 1]?.trim() === '') parts.pop();
  // Put the escapes back as they were written: inline() reads them again.
  return parts.map((p) => p.trim().replace(PROTECTED, (c) => `\\${String.fromCharCode(c.charCodeAt(0) - 0xe000)}`));
}

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | ListBlock
  | { kind: 'table'; head: string[]; rows: string[][] }
  | { kind: 'quote'; text: string }
  | { kind: 'code'; text: string };

export function parseMarkdown(source: string): Block[] {
  const blocks: Block[] = [];
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    if (line.trim().startsWith('```')) {
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith('```')) body.push(lines[i++] ?? '');
      i += 1;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
      i += 1;
      continue;
    }
    const bullet = BULLET;
    if (bullet.test(line)) {
      const items: string[] = [];
      while (i < lines.length && bullet.test(lines[i] ?? '')) items.push(lines[i++] ?? '');
      blocks.push(...parseList(items));
      continue;
    }
    if (isTableStart(lines, i)) {
      const head = cells(line);
      const rows: string[][] = [];
      i += 2;
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('|')) rows.push(cells(lines[i++] ?? ''));
      blocks.push({ kind: 'table', head, rows });
      continue;
    }
    if (line.startsWith('>')) {
      const body: string[] = [];
      while (i < lines.length && (lines[i] ?? '').startsWith('>')) body.push((lines[i++] ?? '').replace(/^>\s?/, ''));
      blocks.push({ kind: 'quote', text: body.join(' ') });
      continue;
    }
    const body: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !/^(#{1,6})\s/.test(lines[i] ?? '') &&
      !bullet.test(lines[i] ?? '') &&
      !isTableStart(lines, i) &&
      !(lines[i] ?? '').trim().startsWith('```')
    ) {
      body.push((lines[i++] ?? '').trim());
    }
    blocks.push({ kind: 'paragraph', text: body.join(' ') });
  }
  return blocks;
}

const CELL = { border: '1px solid #d9d9d9', padding: '4px 8px', textAlign: 'start', verticalAlign: 'top' } as const;

function List({ list, id }: { list: ListBlock; id: string }) {
  const items = list.items.map((item, j) => (
    <li key={`${id}-${j}`}>
      {inline(item.text, `${id}-${j}`)}
      {item.children.map((child, c) => (
        <List key={c} list={child} id={`${id}-${j}-${c}`} />
      ))}
    </li>
  ));
  return list.ordered ? <ol>{items}</ol> : <ul>{items}</ul>;
}

export function Markdown({ source }: { source: string }) {
  const blocks = parseMarkdown(source);
  return (
    <Typography className="markdown-body">
      {blocks.map((block, i) => {
        const key = `b${i}`;
        switch (block.kind) {
          case 'heading': {
            const level = Math.min(5, Math.max(1, block.level + 1)) as 1 | 2 | 3 | 4 | 5;
            return (
              <Typography.Title key={key} level={level}>
                {inline(block.text, key)}
              </Typography.Title>
            );
          }
          case 'list':
            return <List key={key} list={block} id={key} />;
          case 'table':
            return (
              <div key={key} style={{ overflowX: 'auto', marginBottom: '1em' }}>
                <table className="markdown-table" style={{ borderCollapse: 'collapse' }}>
                  <thead>
                    <tr>
                      {block.head.map((cell, j) => (
                        <th key={j} style={CELL}>
                          {inline(cell, `${key}-h${j}`)}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {block.rows.map((row, r) => (
                      <tr key={r}>
                        {block.head.map((_, j) => (
                          <td key={j} style={CELL}>
                            {inline(row[j] ?? '', `${key}-${r}-${j}`)}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case 'quote':
            return <blockquote key={key}>{inline(block.text, key)}</blockquote>;
          case 'code':
            return (
              <pre key={key}>
                <code>{block.text}</code>
              </pre>
            );
          default:
            return <Typography.Paragraph key={key}>{inline(block.text, key)}</Typography.Paragraph>;
        }
      })}
    </Typography>
  );
}
