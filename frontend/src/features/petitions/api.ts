import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import type {
  AppointmentCreate,
  AppointmentUpdate,
  CaseQuery,
  ImportResult,
  StatsGroup,
  SyncRunQuery,
  TransitionIn,
} from '../../api/types';
import { saveBlob } from '../../lib/download';

export const petitionKeys = {
  all: ['petitions'] as const,
  lists: () => [...petitionKeys.all, 'list'] as const,
  list: (query: CaseQuery) => [...petitionKeys.lists(), query] as const,
  detail: (id: number) => [...petitionKeys.all, 'detail', id] as const,
  stats: (groupBy: StatsGroup, period: StatsPeriod = {}) => [...petitionKeys.all, 'stats', groupBy, period] as const,
  appointments: (range: AppointmentRange) => [...petitionKeys.all, 'appointments', range] as const,
  syncRuns: (query: SyncRunQuery) => [...petitionKeys.all, 'sync', query] as const,
};

export const caseListQuery = (query: CaseQuery) =>
  queryOptions({
    queryKey: petitionKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/petitions/cases', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const caseDetailQuery = (id: number) =>
  queryOptions({
    queryKey: petitionKeys.detail(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/petitions/cases/{case_id}', { params: { path: { case_id: id } }, signal })),
  });

/** The statistics' period: received from / to, Beijing dates (YYYY-MM-DD), either end open. */
export interface StatsPeriod {
  from?: string;
  to?: string;
}

export const statsQuery = (groupBy: StatsGroup, period: StatsPeriod = {}) =>
  queryOptions({
    queryKey: petitionKeys.stats(groupBy, period),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/petitions/stats', { params: { query: { group_by: groupBy, ...period } }, signal })),
    placeholderData: keepPreviousData,
  });

/** The video receptions overlapping a span of time (UTC instants), up to 500 of them. */
export interface AppointmentRange {
  since: string;
  until: string;
}

export const appointmentsQuery = (range: AppointmentRange) =>
  queryOptions({
    queryKey: petitionKeys.appointments(range),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/petitions/appointments', { params: { query: { ...range, limit: 500 } }, signal })),
    placeholderData: keepPreviousData,
  });

export const syncRunsQuery = (query: SyncRunQuery) =>
  queryOptions({
    queryKey: petitionKeys.syncRuns(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/petitions/sync/runs', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export function useTransition(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: TransitionIn) =>
      unwrap(api.POST('/api/v1/petitions/cases/{case_id}/transitions', { params: { path: { case_id: caseId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: petitionKeys.all }),
  });
}

export function useExtend(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        api.POST('/api/v1/petitions/cases/{case_id}/extension', { params: { path: { case_id: caseId } }, body: { reason } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: petitionKeys.all }),
  });
}

export function useBookAppointment(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: AppointmentCreate) =>
      unwrap(api.POST('/api/v1/petitions/cases/{case_id}/appointments', { params: { path: { case_id: caseId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: petitionKeys.detail(caseId) }),
  });
}

export function useRecordAppointment(caseId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: AppointmentUpdate }) =>
      unwrap(api.PATCH('/api/v1/petitions/appointments/{appointment_id}', { params: { path: { appointment_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: petitionKeys.detail(caseId) }),
  });
}

/** Upload a sheet; a dry run checks and predicts, a real run applies every row or none. */
export function useImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }): Promise<ImportResult> =>
      unwrap(
        api.POST('/api/v1/petitions/imports', {
          params: { query: { dry_run: dryRun } },
          body: { file: file.name },
          bodySerializer: () => {
            const form = new FormData();
            form.append('file', file);
            return form;
          },
        }),
      ),
    onSuccess: (result) => {
      if (result.applied) void queryClient.invalidateQueries({ queryKey: petitionKeys.all });
    },
  });
}

export function usePullNow() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/petitions/sync/pull')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: petitionKeys.all }),
  });
}

/** The file an export is written as: an Excel workbook, or a UTF-8 CSV whose formula-like text is defused. */
export type ExportFormat = components['schemas']['ExportFormat'];

export async function downloadExport(query: CaseQuery, format: ExportFormat = 'xlsx'): Promise<void> {
  const filters = { ...query };
  delete filters.limit;
  delete filters.offset;
  const blob = await unwrap(
    api.GET('/api/v1/petitions/cases/export', { params: { query: { ...filters, format } }, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, `petition-cases.${format}`);
}

export async function downloadErrorSheet(runId: number): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/petitions/imports/{run_id}/errors', { params: { path: { run_id: runId } }, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, `import-${runId}-errors.xlsx`);
}

export const leadersQuery = () =>
  queryOptions({
    queryKey: [...petitionKeys.all, 'leaders'] as const,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/petitions/leaders', { signal })),
    staleTime: 5 * 60_000,
  });
