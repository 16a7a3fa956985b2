import { describe, expect, it } from 'vitest';

import i18n, { resources } from '.';
import vetofactsEnUS from './vetofacts.en-US.json';
import vetofactsZhCN from './vetofacts.zh-CN.json';
import { VETO_FACTS, vetoFactName } from '../lib/vetoFacts';

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

describe('veto fact translations', () => {
  const zh = flatten(vetofactsZhCN);
  const en = flatten(vetofactsEnUS);

  it('have the same keys, non-empty, with the same variables in both languages', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
    for (const [key, value] of [...zh, ...en]) expect(value.trim(), key).not.toBe('');
    for (const [key, value] of zh) expect(variables(en.get(key) ?? ''), key).toEqual(variables(value));
  });

  it('are in Chinese in zh-CN', () => {
    for (const [key, value] of zh) expect(value, key).toMatch(/[\u4e00-\u9fff]/);
  });

  it('keep to their own top-level key, reached through the registered resources', () => {
    expect(Object.keys(vetofactsZhCN)).toEqual(['vetoFacts']);
    expect(resources['zh-CN'].translation.vetoFacts).toEqual(vetofactsZhCN.vetoFacts);
    expect(resources['en-US'].translation.vetoFacts).toEqual(vetofactsEnUS.vetoFacts);
  });

  it('name every fact the UI knows, and any other by its description or key', () => {
    const t = i18n.getFixedT('zh-CN');
    for (const fact of VETO_FACTS) expect(zh.get(`vetoFacts.names.${fact}`), fact).toBeDefined();
    expect(vetoFactName(t, 'target_no_landing', 'No project reached landing')).toBe('项目落地一票否决（无项目落地）');
    expect(vetoFactName(t, 'unit_dissolved', ' The unit was dissolved ')).toBe('The unit was dissolved');
    expect(vetoFactName(t, 'unit_dissolved')).toBe('unit_dissolved');
  });
});
