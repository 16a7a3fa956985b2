import type { TFunction } from 'i18next';

import { isApiError } from '../api/problem';

export interface ErrorText {
  title: string;
  detail?: string;
  requestId?: string;
}

// 409s that refuse an action in the object's present state (a meeting not live, a closed item), not a clash of data.
const CANNOT_DO = new Set([
  'invalid-state',
  'illegal-transition',
  'already-extended',
  'item-closed',
  'reveal-while-voting',
  'voting-closed',
  'token-used',
  'already-voted',
  'token-revoked',
]);

/** The problem's stable machine code: its `code` member, else the end of its `type`. */
export function problemCode(problem: { type: string; extensions?: Record<string, unknown> }): string {
  const code = problem.extensions?.code;
  return typeof code === 'string' ? code : (problem.type.split('/').pop() ?? '');
}

/** A translated headline for an error, with the server's detail beneath it where it adds something.
 * The server writes the detail in the language the client asks for (Accept-Language), so it is shown as it is. */
export function describeError(t: TFunction, error: unknown): ErrorText {
  if (!isApiError(error)) {
    return { title: t('errors.unknown'), detail: error instanceof Error ? error.message : undefined };
  }
  if (error.kind === 'network') return { title: t('errors.network'), detail: t('errors.networkDetail') };
  const { problem } = error;
  const requestId = problem.request_id ?? undefined;
  const serverDetail = problem.detail ?? undefined;
  const code = problemCode(problem);
  if (code.endsWith('not-configured')) {
    return { title: t('errors.notConfigured'), detail: serverDetail ?? problem.title, requestId };
  }
  switch (error.status) {
    case 400:
      if (code === 'invalid-input') return { title: t('errors.invalidInput'), detail: serverDetail ?? problem.title, requestId };
      return { title: t('errors.badRequest'), detail: serverDetail ?? problem.title, requestId };
    case 401:
      return { title: t('errors.unauthorized'), requestId };
    case 403:
      return { title: t('errors.forbidden'), detail: serverDetail ?? t('errors.forbiddenDetail'), requestId };
    case 404:
      return { title: t('errors.notFound'), detail: serverDetail, requestId };
    case 409:
      if (CANNOT_DO.has(code)) return { title: t('errors.cannotDo'), detail: serverDetail ?? problem.title, requestId };
      return { title: t('errors.conflict'), detail: serverDetail ?? problem.title, requestId };
    case 422:
      return { title: t('errors.validation'), detail: serverDetail, requestId };
    case 429:
      return { title: t('errors.tooManyRequests'), requestId };
    default:
      if (error.status >= 500) return { title: t('errors.server'), detail: t('errors.serverDetail'), requestId };
      return { title: problem.title || t('errors.unknown'), detail: serverDetail, requestId };
  }
}
