import type { TFunction } from 'i18next';

import { isApiError } from '../../api/problem';
import type { AgendaEntry } from '../../api/types';

/** The problem the API answers a reveal with while a report is open for voting. */
const REVEAL_WHILE_VOTING = 'reveal-while-voting';

/**
 * A reveal refused because voting is open, in words naming the open reports' organisations (the
 * problem carries their ids as `report_ids`); null for any other error.
 */
export function revealRefusal(t: TFunction, error: unknown, agenda: readonly AgendaEntry[]): string | null {
  if (!isApiError(error) || error.problem.type.split('/').pop() !== REVEAL_WHILE_VOTING) return null;
  const ids = error.problem.extensions?.report_ids;
  const open = Array.isArray(ids) ? ids : agenda.filter((entry) => entry.voting === 'open').map((entry) => entry.report_id);
  const names = open
    .map((id) => agenda.find((entry) => entry.report_id === id)?.org_name)
    .filter((name): name is string => typeof name === 'string');
  return t('meetings.actions.revealRefused', { orgs: names.length > 0 ? names.join('、') : '—' });
}
