import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { uploadFile, type UploadOptions } from '../../api/upload';
import type {
  CycleCreate,
  CycleImport,
  CycleImportResult,
  CycleQuery,
  CycleRead,
  CycleStage,
  CycleSummary,
  CycleUpdate,
  GroupIn,
  Role,
} from '../../api/types';
import { saveBlob } from '../../lib/download';

export const cycleKeys = {
  all: ['cycles'] as const,
  lists: () => [...cycleKeys.all, 'list'] as const,
  list: (query: CycleQuery) => [...cycleKeys.lists(), query] as const,
  details: () => [...cycleKeys.all, 'detail'] as const,
  detail: (id: number) => [...cycleKeys.details(), id] as const,
  groups: (id: number) => [...cycleKeys.detail(id), 'groups'] as const,
  members: (id: number) => [...cycleKeys.detail(id), 'members'] as const,
  candidates: (id: number, q: string, role: Role | null) => [...cycleKeys.detail(id), 'candidates', { q, role }] as const,
};

export const cycleListQuery = (query: CycleQuery) =>
  queryOptions({
    queryKey: cycleKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/cycles', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

/** Every cycle the user takes part in (up to the API's ceiling): one cache entry behind every picker and list of cycles. */
export const ALL_CYCLES = { limit: 500 } as const satisfies CycleQuery;

export const cyclesQuery = () => queryOptions({ ...cycleListQuery(ALL_CYCLES), staleTime: 60_000 });

/** Cycles in `prefer`red stages first (e.g. those that can have results), then newest period first. */
export function orderCycles(cycles: readonly CycleSummary[], prefer: readonly CycleStage[] = []): CycleSummary[] {
  const preferred = (cycle: CycleSummary) => Number(prefer.includes(cycle.stage));
  return [...cycles].sort(
    (a, b) =>
      preferred(b) - preferred(a) ||
      b.period_start.localeCompare(a.period_start) ||
      b.period_end.localeCompare(a.period_end) ||
      b.id - a.id,
  );
}

const NO_PREFERENCE: readonly CycleStage[] = [];

/** The cycles the user takes part in, ordered by `orderCycles` (the cache holds the API's page once). */
export function useCycles(prefer: readonly CycleStage[] = NO_PREFERENCE) {
  return useQuery({ ...cyclesQuery(), select: (page) => orderCycles(page.items, prefer) });
}

/** Whether a cycle has what a page shows (its opinions, its interviews…), asked of the page's own feature. */
export interface CycleDataProbe {
  /** Names the probe in the query cache, e.g. 'opinions'. */
  key: string;
  has: (cycleId: number) => Promise<boolean>;
}

/** How many cycles, newest first, a page asks before it settles on the first one. */
export const MAX_PROBED_CYCLES = 12;

/** The first of `ids` (in the order given) that has data by `has`, else the first: the cycle a page opens on. */
export async function firstCycleWithData(ids: readonly number[], has: CycleDataProbe['has']): Promise<number | undefined> {
  for (const id of ids.slice(0, MAX_PROBED_CYCLES)) {
    // A cycle the probe cannot read counts as empty: the page still opens, on the first cycle.
    if (await has(id).catch(() => false)) return id;
  }
  return ids[0];
}

/**
 * The cycle a page opens on: the first in `orderCycles` order with data for the page when a `probe` is given
 * (e.g. the latest cycle with opinions), else the first (the newest, in a preferred stage when there is one).
 */
export function useDefaultCycle(prefer: readonly CycleStage[] = NO_PREFERENCE, probe?: CycleDataProbe, enabled = true) {
  const cycles = useCycles(prefer);
  const ids = cycles.data?.map((cycle) => cycle.id);
  const found = useQuery({
    queryKey: [...cycleKeys.all, 'with-data', probe?.key ?? null, ids ?? []] as const,
    // null, not undefined, for "no cycle": the query cache keeps no undefined.
    queryFn: async () => (probe ? ((await firstCycleWithData(ids ?? [], probe.has)) ?? null) : null),
    enabled: enabled && probe !== undefined && ids !== undefined && ids.length > 0,
    retry: false,
  });
  if (probe === undefined) return ids?.[0];
  return found.data ?? undefined;
}

export const cycleDetailQuery = (id: number) =>
  queryOptions({
    queryKey: cycleKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/cycles/{cycle_id}', { params: { path: { cycle_id: id } }, signal })),
  });

export const membersQuery = (id: number) =>
  queryOptions({
    queryKey: cycleKeys.members(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/cycles/{cycle_id}/members', { params: { path: { cycle_id: id } }, signal })),
  });

export const candidatesQuery = (id: number, q: string, role: Role | null) =>
  queryOptions({
    queryKey: cycleKeys.candidates(id, q, role),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/cycles/{cycle_id}/candidates', {
          params: { path: { cycle_id: id }, query: { q: q || undefined, role: role ?? undefined, limit: 200 } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });

function useCycleMutation<V, R>(fn: (vars: V) => Promise<R>, cycleId: (vars: V) => number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (_data, vars) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: cycleKeys.detail(cycleId(vars)) }),
        queryClient.invalidateQueries({ queryKey: cycleKeys.lists() }),
      ]),
  });
}

export function useCreateCycle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CycleCreate) => unwrap(api.POST('/api/v1/cycles', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cycleKeys.lists() }),
  });
}

export function useUpdateCycle() {
  return useCycleMutation(
    ({ id, body }: { id: number; body: CycleUpdate }) =>
      unwrap(api.PATCH('/api/v1/cycles/{cycle_id}', { params: { path: { cycle_id: id } }, body })),
    (vars) => vars.id,
  );
}

export function useAdvanceCycle() {
  return useCycleMutation(
    ({ id, to }: { id: number; to: CycleStage }): Promise<CycleRead> =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/advance', { params: { path: { cycle_id: id } }, body: { to } })),
    (vars) => vars.id,
  );
}

export function useRevertCycle() {
  return useCycleMutation(
    ({ id, reason }: { id: number; reason: string }): Promise<CycleRead> =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/revert', { params: { path: { cycle_id: id } }, body: { reason } })),
    (vars) => vars.id,
  );
}

export function useSaveGroups() {
  return useCycleMutation(
    ({ id, groups }: { id: number; groups: GroupIn[] }) =>
      unwrap(api.PUT('/api/v1/cycles/{cycle_id}/groups', { params: { path: { cycle_id: id } }, body: { groups } })),
    (vars) => vars.id,
  );
}

export function useAddMembers() {
  return useCycleMutation(
    ({ id, key, userIds }: { id: number; key: string; userIds: number[] }) =>
      unwrap(
        api.POST('/api/v1/cycles/{cycle_id}/groups/{key}/members', {
          params: { path: { cycle_id: id, key } },
          body: { user_ids: userIds },
        }),
      ),
    (vars) => vars.id,
  );
}

export function useRemoveMember() {
  return useCycleMutation(
    ({ id, key, userId }: { id: number; key: string; userId: number }) =>
      unwrap(
        api.DELETE('/api/v1/cycles/{cycle_id}/groups/{key}/members/{user_id}', {
          params: { path: { cycle_id: id, key, user_id: userId } },
        }),
      ),
    (vars) => vars.id,
  );
}

export function useAddReport() {
  return useCycleMutation(
    ({ id, orgId }: { id: number; orgId: number }) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/reports', { params: { path: { cycle_id: id } }, body: { org_id: orgId } })),
    (vars) => vars.id,
  );
}

export function useImportCycle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (doc: CycleImport) => unwrap(api.POST('/api/v1/cycles/import', { body: doc })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cycleKeys.all }),
  });
}

export function useImportExcel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File } & Pick<UploadOptions, 'onProgress'>) =>
      uploadFile<CycleImportResult>('/api/v1/cycles/import/excel', file, { onProgress }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: cycleKeys.all }),
  });
}

export async function downloadTemplate(filename: string): Promise<void> {
  const blob = await unwrap(api.GET('/api/v1/cycles/import/template', { parseAs: 'blob' }));
  saveBlob(blob as Blob, filename);
}

/** Download the error sheet a failed Excel import points to (its path in the problem's `error_sheet`). */
export async function downloadErrorSheet(path: string, filename: string): Promise<void> {
  const token = path.split('/').pop() ?? '';
  const blob = await unwrap(
    api.GET('/api/v1/cycles/import/error-sheets/{token}', { params: { path: { token } }, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, filename);
}
