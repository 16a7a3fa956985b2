/** Audit entries in words: every action, object type and system actor the backend records, by name. */
import type { TFunction } from 'i18next';

import zhCN from '../../i18n/zh-CN.json';

type Actions = typeof zhCN.audit.actions;
type Entities = typeof zhCN.audit.entities;
type SystemActors = typeof zhCN.audit.systemActors;

/** Every action with a label, as the backend writes it ("ledger.item_create"). */
export const AUDIT_ACTIONS: readonly string[] = Object.entries(zhCN.audit.actions).flatMap(([domain, verbs]) =>
  Object.keys(verbs).map((verb) => `${domain}.${verb}`),
);

export const AUDIT_ENTITY_TYPES = Object.keys(zhCN.audit.entities) as (keyof Entities)[];

function isAction(action: string): boolean {
  return AUDIT_ACTIONS.includes(action);
}

/** An action's name; an action recorded after this table was written shows as it is rather than vanish. */
export function actionLabel(t: TFunction, action: string): string {
  if (!isAction(action)) return action;
  const [domain, verb] = action.split('.', 2) as [keyof Actions, string];
  return t(`audit.actions.${domain}.${verb}` as `audit.actions.auth.login`);
}

export function entityLabel(t: TFunction, entityType: string): string {
  return entityType in zhCN.audit.entities ? t(`audit.entities.${entityType as keyof Entities}`) : entityType;
}

/** Who acted: a person's name, a named system process in words, or the system. */
export function actorLabel(t: TFunction, entry: { actor_id: number | null; actor_name: string | null }): string {
  const name = entry.actor_name;
  if (name && name in zhCN.audit.systemActors) return t(`audit.systemActors.${name as keyof SystemActors}`);
  if (name) return name;
  return entry.actor_id === null ? t('audit.system') : `#${entry.actor_id}`;
}

const NAME_FIELDS = ['name', 'title', 'org_name', 'full_name', 'username'] as const;

/** The object's name when the entry's data carries one (a cycle's or rubric's name, a user's full name). */
export function objectName(data: Record<string, unknown>): string | null {
  for (const field of NAME_FIELDS) {
    const value = data[field];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return null;
}
