import { queryOptions, useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { ApiError, isApiError, unwrap } from '../../api/problem';
import type { InterviewCreate, NoticeCreate, PublishIn, ResultsRead } from '../../api/types';
import { attachmentName, readWithProgress, saveBlob, type DownloadProgress } from '../../lib/download';

export const resultKeys = {
  all: ['results'] as const,
  cycle: (cycleId: number) => [...resultKeys.all, cycleId] as const,
  cycleDetail: (cycleId: number) => [...resultKeys.cycle(cycleId), 'detail'] as const,
  ranking: (cycleId: number) => [...resultKeys.cycle(cycleId), 'ranking'] as const,
  explain: (cycleId: number, reportId: number) => [...resultKeys.cycle(cycleId), 'explain', reportId] as const,
  itemAverages: (cycleId: number) => [...resultKeys.cycle(cycleId), 'item-averages'] as const,
  interviews: (cycleId: number) => [...resultKeys.cycle(cycleId), 'interviews'] as const,
  notices: () => [...resultKeys.all, 'notices'] as const,
  noticeList: (cycleId?: number) => [...resultKeys.notices(), cycleId ?? 'all'] as const,
  history: () => [...resultKeys.all, 'history'] as const,
  orgHistory: (orgId: number) => [...resultKeys.history(), orgId] as const,
  flaggedTwice: () => [...resultKeys.history(), 'flagged-twice'] as const,
};

/** One cycle: its name, stage and whether the user manages it (computes, records interviews, issues notices). */
export const resultCycleQuery = (cycleId: number) =>
  queryOptions({
    queryKey: resultKeys.cycleDetail(cycleId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/cycles/{cycle_id}', { params: { path: { cycle_id: cycleId } }, signal })),
  });

/** The ranking; null while nothing has been computed (the API answers 404), so the page can offer to compute. */
export const resultsQuery = (cycleId: number) =>
  queryOptions({
    queryKey: resultKeys.ranking(cycleId),
    queryFn: async ({ signal }): Promise<ResultsRead | null> => {
      try {
        return await unwrap(api.GET('/api/v1/cycles/{cycle_id}/results', { params: { path: { cycle_id: cycleId } }, signal }));
      } catch (error) {
        if (isApiError(error) && error.status === 404) return null;
        throw error;
      }
    },
  });

export const explainQuery = (cycleId: number, reportId: number) =>
  queryOptions({
    queryKey: resultKeys.explain(cycleId, reportId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/cycles/{cycle_id}/results/{report_id}/explain', {
          params: { path: { cycle_id: cycleId, report_id: reportId } },
          signal,
        }),
      ),
  });

/** Each ballot item's average per visible report and over the whole cycle, for the radar. */
export const itemAveragesQuery = (cycleId: number) =>
  queryOptions({
    queryKey: resultKeys.itemAverages(cycleId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/cycles/{cycle_id}/results/item-averages', { params: { path: { cycle_id: cycleId } }, signal })),
  });

export const interviewsQuery = (cycleId: number) =>
  queryOptions({
    queryKey: resultKeys.interviews(cycleId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/cycles/{cycle_id}/interviews', { params: { path: { cycle_id: cycleId } }, signal })),
  });

/** Which cycles have interviews recorded, for a page to open on the latest that does. */
export const interviewsProbe = {
  key: 'interviews',
  has: async (cycleId: number) =>
    (await unwrap(api.GET('/api/v1/cycles/{cycle_id}/interviews', { params: { path: { cycle_id: cycleId } } }))).length > 0,
};

/** Notices of one cycle, or all the user may see (a secretary: their own organisation's). */
export const noticesQuery = (cycleId?: number) =>
  queryOptions({
    queryKey: resultKeys.noticeList(cycleId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/notices', { params: { query: cycleId ? { cycle_id: cycleId } : {} }, signal })),
  });

export const orgHistoryQuery = (orgId: number) =>
  queryOptions({
    queryKey: resultKeys.orgHistory(orgId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/orgs/{org_id}/results-history', { params: { path: { org_id: orgId } }, signal })),
  });

export const flaggedTwiceQuery = () =>
  queryOptions({
    queryKey: resultKeys.flaggedTwice(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/results/flagged-twice', { signal })),
  });

/** After the ranking changed (the answer is its summary): refetch it and what hangs off it (explanations, histories). */
function rankingChanged(queryClient: QueryClient, cycleId: number) {
  void queryClient.invalidateQueries({ queryKey: resultKeys.history() });
  return queryClient.invalidateQueries({ queryKey: resultKeys.cycle(cycleId) });
}

export function useComputeResults(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/cycles/{cycle_id}/results/compute', { params: { path: { cycle_id: cycleId } } })),
    onSuccess: () => rankingChanged(queryClient, cycleId),
  });
}

export function usePublishResults(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PublishIn) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/results/publish', { params: { path: { cycle_id: cycleId } }, body })),
    onSuccess: () => rankingChanged(queryClient, cycleId),
  });
}

export function useReopenResults(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/results/reopen', { params: { path: { cycle_id: cycleId } }, body: { reason } })),
    onSuccess: () => rankingChanged(queryClient, cycleId),
  });
}

export function useRecordInterview(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: InterviewCreate) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/interviews', { params: { path: { cycle_id: cycleId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resultKeys.interviews(cycleId) }),
  });
}

export function useIssueNotice(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NoticeCreate) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/notices', { params: { path: { cycle_id: cycleId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resultKeys.notices() }),
  });
}

/** A notice to each of several flagged reports, all or none; the same requirements and deadline for each. */
export function useIssueNotices(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { report_ids: number[]; measures: string; deadline_date: string }) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/notices/batch', { params: { path: { cycle_id: cycleId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resultKeys.notices() }),
  });
}

export function useAcknowledgeNotice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (noticeId: number) =>
      unwrap(api.POST('/api/v1/notices/{notice_id}/acknowledge', { params: { path: { notice_id: noticeId } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: resultKeys.notices() }),
  });
}

type StreamCall = Promise<{ data?: ReadableStream<Uint8Array> | null; error?: unknown; response: Response }>;

/** Stream a file from the API (through the client, so the session header and its refresh apply) and save it. */
async function download(call: StreamCall, fallbackName: string, onProgress?: (progress: DownloadProgress) => void) {
  let result: Awaited<StreamCall>;
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.error, result.response);
  let blob: Blob;
  try {
    blob = await readWithProgress(result.response, result.data ?? null, onProgress);
  } catch (cause) {
    throw ApiError.network(cause);
  }
  saveBlob(blob, attachmentName(result.response.headers.get('Content-Disposition'), fallbackName));
}

/** The cycle's results as an Excel workbook, with progress. */
export function downloadResultsWorkbook(cycleId: number, onProgress?: (progress: DownloadProgress) => void) {
  return download(
    api.GET('/api/v1/cycles/{cycle_id}/results.xlsx', { params: { path: { cycle_id: cycleId } }, parseAs: 'stream' }),
    `results-${cycleId}.xlsx`,
    onProgress,
  );
}

/** A rectification notice as a Word document. */
export function downloadNoticeDocument(noticeId: number, number: string, onProgress?: (progress: DownloadProgress) => void) {
  return download(
    api.GET('/api/v1/notices/{notice_id}/document', { params: { path: { notice_id: noticeId } }, parseAs: 'stream' }),
    `${number}.docx`,
    onProgress,
  );
}

/** The published results as a bulletin (通报, Word), numbered `number` in the host's sequence of the year. */
export function downloadBulletin(
  cycleId: number,
  { number, dated }: { number: number; dated?: string },
  onProgress?: (progress: DownloadProgress) => void,
) {
  return download(
    api.GET('/api/v1/cycles/{cycle_id}/results/bulletin.docx', {
      params: { path: { cycle_id: cycleId }, query: { number, ...(dated ? { dated } : {}) } },
      parseAs: 'stream',
    }),
    `bulletin-${cycleId}-${number}.docx`,
    onProgress,
  );
}

/** One interview's record (约谈记录) as a Word document. */
export function downloadInterviewRecord(interviewId: number, onProgress?: (progress: DownloadProgress) => void) {
  return download(
    api.GET('/api/v1/interviews/{interview_id}/document', { params: { path: { interview_id: interviewId } }, parseAs: 'stream' }),
    `interview-${interviewId}.docx`,
    onProgress,
  );
}
