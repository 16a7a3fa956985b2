import { describe, expect, it } from 'vitest';

import { resources } from '.';
import paperEnUS from './paper.en-US.json';
import paperZhCN from './paper.zh-CN.json';
import zhCN from './zh-CN.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the paper ballots translations', () => {
  const zh = flatten(paperZhCN);
  const en = flatten(paperEnUS);

  it('are registered in both languages under their own top-level key', () => {
    expect(Object.keys(paperZhCN)).toEqual(['paper']);
    expect(Object.keys(zhCN)).not.toContain('paper');
    expect(resources['zh-CN'].translation.paper).toBe(paperZhCN.paper);
    expect(resources['en-US'].translation.paper).toBe(paperEnUS.paper);
  });

  it('have the same keys, no empty string and the same variables in both languages', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [key, value] of [...zh, ...en]) expect(value.trim(), key).not.toBe('');
    for (const [key, value] of zh) expect(variables(en.get(key) ?? ''), key).toEqual(variables(value));
  });
});
