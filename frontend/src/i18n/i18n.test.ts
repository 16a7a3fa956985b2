import { describe, expect, it } from 'vitest';

import i18n, { LANGUAGE_KEY, setLanguage } from '.';
import batchEnUS from './batch.en-US.json';
import batchZhCN from './batch.zh-CN.json';
import enUS from './en-US.json';
import homeEnUS from './home.en-US.json';
import homeZhCN from './home.zh-CN.json';
import ledgerEnUS from './ledger.en-US.json';
import ledgerZhCN from './ledger.zh-CN.json';
import meetingsEnUS from './meetings.en-US.json';
import meetingsZhCN from './meetings.zh-CN.json';
import resultsEnUS from './results.en-US.json';
import resultsZhCN from './results.zh-CN.json';
import targetsEnUS from './targets.en-US.json';
import targetsZhCN from './targets.zh-CN.json';
import voteEnUS from './vote.en-US.json';
import voteZhCN from './vote.zh-CN.json';
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

describe('translations', () => {
  const zh = flatten({ ...zhCN, ...homeZhCN, ...meetingsZhCN, ...resultsZhCN, ...voteZhCN, ...ledgerZhCN, ...batchZhCN, ...targetsZhCN });
  const en = flatten({ ...enUS, ...homeEnUS, ...meetingsEnUS, ...resultsEnUS, ...voteEnUS, ...ledgerEnUS, ...batchEnUS, ...targetsEnUS });

  it('keep each file to its own top-level keys', () => {
    const main = Object.keys(zhCN);
    for (const extra of [homeZhCN, meetingsZhCN, resultsZhCN, voteZhCN, ledgerZhCN, batchZhCN, targetsZhCN]) for (const key of Object.keys(extra)) expect(main).not.toContain(key);
  });

  it('have the same keys in both languages', () => {
    expect([...en.keys()].sort()).toEqual([...zh.keys()].sort());
  });

  it('have no empty strings', () => {
    for (const [key, value] of [...zh, ...en]) expect(value.trim(), key).not.toBe('');
  });

  it('use the same interpolation variables in both languages', () => {
    for (const [key, value] of zh) expect(variables(en.get(key) ?? ''), key).toEqual(variables(value));
  });

  it('name the cycle stages one way: a stage is called only by its name in stages.*', () => {
    const names = [...zh].filter(([key]) => key.startsWith('stages.')).map(([, name]) => name);
    expect(names).toEqual(['述前准备', '述职评议', '综合评价', '述后整改', '已结束']);
    // Short or other names of a stage, as a stage ("评议阶段", "进入“整改”"), are not allowed anywhere else.
    const SHORT = /(?<![述前职后综合])(准备|评议|评定|评价|整改)(阶段|”阶段)|(?<!述职|述后|综合)“(准备|评议|评定|整改)”/;
    for (const [key, value] of zh) expect(SHORT.test(value), `${key}: ${value}`).toBe(false);
    // A stage quoted by name in a sentence is one of the names.
    for (const [key, value] of zh) {
      for (const [, quoted] of value.matchAll(/“([^”{]+)”阶段/g)) expect(names, `${key}: ${value}`).toContain(quoted);
    }
  });

  it('name every role and organisation kind', () => {
    for (const role of ['admin', 'clerk', 'leader', 'deputy', 'secretary', 'member', 'integration']) {
      expect(zh.has(`roles.${role}`)).toBe(true);
    }
    for (const kind of ['county', 'township', 'working_committee', 'village', 'department']) {
      expect(zh.has(`orgKinds.${kind}`)).toBe(true);
    }
  });
});

describe('language switch', () => {
  it('defaults to Chinese', () => {
    expect(i18n.t('nav.orgs')).toBe('组织机构');
  });

  it('switches to English and remembers the choice', async () => {
    await setLanguage('en-US');
    expect(i18n.t('nav.orgs')).toBe('Organisations');
    expect(localStorage.getItem(LANGUAGE_KEY)).toBe('en-US');
    expect(document.documentElement.lang).toBe('en-US');
    await setLanguage('zh-CN');
    expect(i18n.t('nav.orgs')).toBe('组织机构');
  });
});
