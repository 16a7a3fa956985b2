import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';

import i18n from '../../i18n';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES, actionLabel, actorLabel, entityLabel, objectName } from './labels';

const BACKEND = resolve(__dirname, '../../../../backend/shuping');

function pythonFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pythonFiles(path);
    return name.endsWith('.py') ? [path] : [];
  });
}

/** What the backend records: `action="x.y"`, the actions handed to the ledger's and petitions' audit helpers, the meeting's `meeting.<change>`. */
function recorded(): { actions: Set<string>; entities: Set<string>; actors: Set<string> } {
  const actions = new Set<string>();
  const entities = new Set<string>();
  const actors = new Set<string>();
  for (const file of pythonFiles(BACKEND)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\baction="([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]!);
    for (const m of text.matchAll(/\baudit_(?:item|case)\(\s*session,\s*\w+,\s*"([a-z_]+\.[a-z_]+)"/g)) actions.add(m[1]!);
    for (const m of text.matchAll(/\b_changed\(\s*session,\s*meeting,\s*actor,\s*"([a-z_]+)"/g)) actions.add(`meeting.${m[1]!}`);
    for (const m of text.matchAll(/\bentity_type="([a-z_]+)"/g)) entities.add(m[1]!);
    for (const m of text.matchAll(/\bactor_name=(?:None if actor else )?"([a-z-]+)"/g)) actors.add(m[1]!);
  }
  return { actions, entities, actors };
}

describe('audit labels', () => {
  const t = i18n.getFixedT('zh-CN') as TFunction;
  const backend = recorded();

  it('find what the backend records', () => {
    expect(backend.actions.size).toBeGreaterThan(50);
    expect(backend.actions).toContain('ledger.item_create');
    expect(backend.actions).toContain('petition.create');
    expect(backend.actions).toContain('meeting.start');
    expect(backend.entities).toContain('ledger_item');
  });

  it('name every action the backend records, in both languages', () => {
    for (const action of backend.actions) {
      expect(AUDIT_ACTIONS, action).toContain(action);
      const zh = actionLabel(t, action);
      expect(zh, action).not.toMatch(/[a-z_]{3,}/);
      expect(actionLabel(i18n.getFixedT('en-US') as TFunction, action), action).not.toBe(action);
    }
  });

  it('name every object type and system actor the backend records', () => {
    for (const type of backend.entities) {
      expect(AUDIT_ENTITY_TYPES as string[], type).toContain(type);
      expect(entityLabel(t, type), type).not.toMatch(/[a-z]/);
    }
    for (const actor of backend.actors) expect(actorLabel(t, { actor_id: null, actor_name: actor }), actor).not.toMatch(/[a-z]/);
  });

  it('say what each is in words', () => {
    expect(actionLabel(t, 'auth.login')).toBe('登录');
    expect(actionLabel(t, 'ledger.item_create')).toBe('新建台账事项');
    expect(entityLabel(t, 'user')).toBe('用户');
    expect(entityLabel(t, 'ledger_item')).toBe('台账事项');
    expect(actorLabel(t, { actor_id: 3, actor_name: '王书记' })).toBe('王书记');
    expect(actorLabel(t, { actor_id: null, actor_name: 'ballot-intake' })).toBe('计票程序');
    expect(actorLabel(t, { actor_id: null, actor_name: null })).toBe('系统');
    expect(actionLabel(t, 'later.added')).toBe('later.added');
    expect(objectName({ name: '2013年上半年', rubric_id: 1 })).toBe('2013年上半年');
    expect(objectName({ status: 'accepted' })).toBeNull();
  });
});
