import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, publicApi } from '../../../api/client';
import { isApiError, unwrap } from '../../../api/problem';
import { uploadFile } from '../../../api/upload';
import { saveBlob } from '../../../lib/download';
import { targetKeys } from '../api';
import type {
  Bulletin,
  FindingCreate,
  FindingUpdate,
  MonthlyReportIn,
  ProjectImportResult,
  RoundCreate,
  RoundUpdate,
  TargetImportResult,
} from './types';

// Under the programme's key, so what changes a programme's figures (a stage move, the targets) refreshes these too.
export const supervisionKeys = {
  reports: (programmeId: number, month: string) => [...targetKeys.programme(programmeId), 'monthly-reports', month] as const,
  missing: (programmeId: number, month: string) => [...targetKeys.programme(programmeId), 'monthly-missing', month] as const,
  rounds: (programmeId: number) => [...targetKeys.programme(programmeId), 'supervision-rounds'] as const,
  bulletins: (programmeId: number) => [...targetKeys.programme(programmeId), 'bulletins'] as const,
  bulletin: (id: number) => [...targetKeys.all, 'bulletin', id] as const,
  board: (programmeId?: number) => ['public', 'target-board', programmeId ?? null] as const,
};

const inProgramme = (id: number) => ({ path: { programme_id: id } });

// ---------------------------------------------------------------- monthly reports (月报)

export const monthlyReportsQuery = (programmeId: number, month: string) =>
  queryOptions({
    queryKey: supervisionKeys.reports(programmeId, month),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/targets/programmes/{programme_id}/monthly-reports', {
          params: { path: { programme_id: programmeId }, query: { month } },
          signal,
        }),
      ),
  });

export const missingReportsQuery = (programmeId: number, month: string) =>
  queryOptions({
    queryKey: supervisionKeys.missing(programmeId, month),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/targets/programmes/{programme_id}/monthly-reports/missing', {
          params: { path: { programme_id: programmeId }, query: { month } },
          signal,
        }),
      ),
  });

export function useSubmitReport(programmeId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MonthlyReportIn) =>
      unwrap(api.POST('/api/v1/targets/programmes/{programme_id}/monthly-reports', { params: inProgramme(programmeId), body })),
    onSuccess: (_report, body) => {
      void queryClient.invalidateQueries({ queryKey: supervisionKeys.reports(programmeId, body.month) });
      void queryClient.invalidateQueries({ queryKey: supervisionKeys.missing(programmeId, body.month) });
    },
  });
}

// ---------------------------------------------------------------- supervision (督查)

export const roundsQuery = (programmeId: number) =>
  queryOptions({
    queryKey: supervisionKeys.rounds(programmeId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/targets/programmes/{programme_id}/supervision-rounds', { params: inProgramme(programmeId), signal })),
  });

function useInvalidateRounds(programmeId: number) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: supervisionKeys.rounds(programmeId) });
}

export function useSaveRound(programmeId: number) {
  const invalidate = useInvalidateRounds(programmeId);
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: RoundCreate & RoundUpdate }) =>
      id === null
        ? unwrap(api.POST('/api/v1/targets/programmes/{programme_id}/supervision-rounds', { params: inProgramme(programmeId), body }))
        : unwrap(api.PATCH('/api/v1/targets/supervision-rounds/{round_id}', { params: { path: { round_id: id } }, body })),
    onSuccess: invalidate,
  });
}

export function useDeleteRound(programmeId: number) {
  const invalidate = useInvalidateRounds(programmeId);
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/targets/supervision-rounds/{round_id}', { params: { path: { round_id: id } } })),
    onSuccess: invalidate,
  });
}

export function useSaveFinding(programmeId: number) {
  const invalidate = useInvalidateRounds(programmeId);
  return useMutation({
    mutationFn: ({ roundId, id, body }: { roundId: number; id: number | null; body: FindingCreate }) => {
      if (id === null) {
        return unwrap(api.POST('/api/v1/targets/supervision-rounds/{round_id}/findings', { params: { path: { round_id: roundId } }, body }));
      }
      // The unit visited is the finding's for good (its ledger item is the unit's): a change leaves it out.
      const patch: FindingUpdate = { visited_on: body.visited_on, finding: body.finding, deadline: body.deadline };
      return unwrap(api.PATCH('/api/v1/targets/findings/{finding_id}', { params: { path: { finding_id: id } }, body: patch }));
    },
    onSuccess: invalidate,
  });
}

export function useDeleteFinding(programmeId: number) {
  const invalidate = useInvalidateRounds(programmeId);
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/targets/findings/{finding_id}', { params: { path: { finding_id: id } } })),
    onSuccess: invalidate,
  });
}

// ---------------------------------------------------------------- bulletins (月度通报)

export const bulletinsQuery = (programmeId: number) =>
  queryOptions({
    queryKey: supervisionKeys.bulletins(programmeId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/targets/programmes/{programme_id}/bulletins', { params: inProgramme(programmeId), signal })),
  });

export const bulletinQuery = (id: number) =>
  queryOptions({
    queryKey: supervisionKeys.bulletin(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/targets/bulletins/{bulletin_id}', { params: { path: { bulletin_id: id } }, signal })),
  });

function useBulletinChanged() {
  const queryClient = useQueryClient();
  return (bulletin: Bulletin) => {
    queryClient.setQueryData(supervisionKeys.bulletin(bulletin.id), bulletin);
    void queryClient.invalidateQueries({ queryKey: supervisionKeys.bulletins(bulletin.programme_id) });
    // Publishing locks the month's reports; withdrawing unlocks them.
    void queryClient.invalidateQueries({ queryKey: targetKeys.programme(bulletin.programme_id) });
    void queryClient.invalidateQueries({ queryKey: ['public', 'target-board'] });
  };
}

export function useCreateBulletin(programmeId: number) {
  const changed = useBulletinChanged();
  return useMutation({
    mutationFn: (month: string) =>
      unwrap(api.POST('/api/v1/targets/programmes/{programme_id}/bulletins', { params: inProgramme(programmeId), body: { month } })),
    onSuccess: changed,
  });
}

export function usePublishBulletin() {
  const changed = useBulletinChanged();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.POST('/api/v1/targets/bulletins/{bulletin_id}/publish', { params: { path: { bulletin_id: id } } })),
    onSuccess: changed,
  });
}

export function useWithdrawBulletin() {
  const changed = useBulletinChanged();
  return useMutation({
    mutationFn: ({ id, reason }: { id: number; reason: string }) =>
      unwrap(api.POST('/api/v1/targets/bulletins/{bulletin_id}/withdraw', { params: { path: { bulletin_id: id } }, body: { reason } })),
    onSuccess: changed,
  });
}

export function useDeleteBulletin(programmeId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/v1/targets/bulletins/{bulletin_id}', { params: { path: { bulletin_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: supervisionKeys.bulletins(programmeId) }),
  });
}

/** The bulletin's file name as the office files it: 洛商务通〔2013〕2号-标题.docx. */
export const bulletinFileName = (bulletin: Pick<Bulletin, 'doc_number' | 'title'>, ext: 'docx' | 'xlsx') =>
  `${bulletin.doc_number}-${bulletin.title}.${ext}`;

export async function downloadBulletin(bulletin: Pick<Bulletin, 'id' | 'doc_number' | 'title'>, ext: 'docx' | 'xlsx'): Promise<void> {
  const params = { path: { bulletin_id: bulletin.id } };
  const blob = await unwrap(
    ext === 'docx'
      ? api.GET('/api/v1/targets/bulletins/{bulletin_id}/document.docx', { params, parseAs: 'blob' })
      : api.GET('/api/v1/targets/bulletins/{bulletin_id}/sheet.xlsx', { params, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, bulletinFileName(bulletin, ext));
}

// ---------------------------------------------------------------- the public board (图板展示)

/** The latest published bulletin of a target programme, for the board (no login); null when none is published. */
export const targetBoardQuery = (programmeId?: number) =>
  queryOptions({
    queryKey: supervisionKeys.board(programmeId),
    queryFn: async ({ signal }) => {
      try {
        return await unwrap(publicApi.GET('/api/v1/public/target-board', { params: { query: { programme_id: programmeId } }, signal }));
      } catch (error) {
        // 404: nothing published yet (or not for that programme) — the board then leaves the section out.
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });

// ---------------------------------------------------------------- imports

export function importTargets(programmeId: number, file: File, dryRun: boolean, onProgress?: (percent: number) => void) {
  return uploadFile<TargetImportResult>(`/api/v1/targets/programmes/${programmeId}/targets/import?dry_run=${dryRun}`, file, {
    onProgress,
  });
}

export function importProjects(programmeId: number, file: File, dryRun: boolean, onProgress?: (percent: number) => void) {
  return uploadFile<ProjectImportResult>(`/api/v1/targets/programmes/${programmeId}/projects/import?dry_run=${dryRun}`, file, {
    onProgress,
  });
}

export async function downloadTargetsTemplate(programmeId: number, filename: string): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/targets/programmes/{programme_id}/targets/import/template', { params: inProgramme(programmeId), parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, filename);
}

export async function downloadProjectsTemplate(programmeId: number, filename: string): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/targets/programmes/{programme_id}/projects/import/template', { params: inProgramme(programmeId), parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, filename);
}
