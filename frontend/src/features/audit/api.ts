import { keepPreviousData, queryOptions, useMutation } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { AuditQuery } from '../../api/types';

export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (query: AuditQuery) => [...auditKeys.lists(), query] as const,
  verify: () => [...auditKeys.all, 'verify'] as const,
};

export const auditListQuery = (query: AuditQuery) =>
  queryOptions({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/audit', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** Re-walk the hash chain on the server; an action, so a mutation rather than a cached query. */
export function useVerifyChain() {
  return useMutation({
    mutationKey: auditKeys.verify(),
    mutationFn: () => unwrap(api.GET('/api/v1/audit/verify')),
  });
}
