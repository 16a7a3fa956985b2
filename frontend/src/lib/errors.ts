import type { TFunction } from 'i18next';

import { isApiError } from '../api/problem';

export interface ErrorText {
  title: string;
  detail?: string;
  requestId?: string;
}

/** A translated headline for an error, with the server's detail beneath it where it adds something. */
export function describeError(t: TFunction, error: unknown): ErrorText {
  if (!isApiError(error)) {
    return { title: t('errors.unknown'), detail: error instanceof Error ? error.message : undefined };
  }
  if (error.kind === 'network') return { title: t('errors.network'), detail: t('errors.networkDetail') };
  const { problem } = error;
  const requestId = problem.request_id ?? undefined;
  const serverDetail = problem.detail ?? undefined;
  switch (error.status) {
    case 400:
      return { title: t('errors.badRequest'), detail: serverDetail ?? problem.title, requestId };
    case 401:
      return { title: t('errors.unauthorized'), requestId };
    case 403:
      return { title: t('errors.forbidden'), detail: serverDetail ?? t('errors.forbiddenDetail'), requestId };
    case 404:
      return { title: t('errors.notFound'), detail: serverDetail, requestId };
    case 409:
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
