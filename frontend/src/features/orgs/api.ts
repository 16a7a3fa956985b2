import { queryOptions, useMutation, useQueries, useQueryClient, type UseQueryResult } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { ORG_KINDS, type OrgCreate, type OrgKind, type OrgPage, type OrgQuery, type OrgRead, type OrgUpdate } from '../../api/types';

/** The API's largest page: enough for any organisation's direct children (the county has about 55). */
export const CHILDREN_LIMIT = 500;

export const orgKeys = {
  all: ['orgs'] as const,
  lists: () => [...orgKeys.all, 'list'] as const,
  list: (query: OrgQuery) => [...orgKeys.lists(), query] as const,
  details: () => [...orgKeys.all, 'detail'] as const,
  detail: (id: number) => [...orgKeys.details(), id] as const,
};

export const orgListQuery = (query: OrgQuery) =>
  queryOptions({
    queryKey: orgKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs', { params: { query }, signal })),
  });

export const orgRootsQuery = (includeInactive = false) =>
  orgListQuery({ kind: ['county'], limit: CHILDREN_LIMIT, include_inactive: includeInactive });

export const orgChildrenQuery = (parentId: number, includeInactive = false) =>
  orgListQuery({ parent_id: parentId, limit: CHILDREN_LIMIT, include_inactive: includeInactive });

export const orgSearchQuery = (q: string, includeInactive = false, limit = 50, offset = 0) =>
  orgListQuery({ q, limit, offset, include_inactive: includeInactive });

export const orgDetailQuery = (id: number) =>
  queryOptions({
    queryKey: orgKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/orgs/{org_id}', { params: { path: { org_id: id } }, signal })),
  });

function combineKindCounts(results: UseQueryResult<number>[]) {
  return {
    counts: ORG_KINDS.map((kind, index): { kind: OrgKind; count: number } => ({
      kind,
      count: results[index]?.data ?? 0,
    })),
    isPending: results.some((result) => result.isPending),
    error: results.find((result) => result.error)?.error ?? null,
    refetch: () => results.forEach((result) => void result.refetch()),
  };
}

const selectTotal = (page: OrgPage) => page.total;

/** How many organisations of each kind there are, one small request per kind. */
export function useOrgKindCounts() {
  return useQueries({
    queries: ORG_KINDS.map((kind) => ({ ...orgListQuery({ kind: [kind], limit: 1 }), select: selectTotal })),
    combine: combineKindCounts,
  });
}

export function useCreateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: OrgCreate) => unwrap(api.POST('/api/v1/orgs', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: orgKeys.all }),
  });
}

export function useUpdateOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: OrgUpdate }) =>
      unwrap(api.PATCH('/api/v1/orgs/{org_id}', { params: { path: { org_id: id } }, body })),
    onSuccess: (org: OrgRead) => {
      queryClient.setQueryData(orgKeys.detail(org.id), org);
      return queryClient.invalidateQueries({ queryKey: orgKeys.all });
    },
  });
}
