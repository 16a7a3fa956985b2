import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { uploadFile, type UploadOptions } from '../../api/upload';
import type { AssessmentIn, AttachmentRead, ReportDocumentRead, ReportQuery, ReportRead, ReportUpdate } from '../../api/types';
import { saveBlob } from '../../lib/download';

export const reportKeys = {
  all: ['reports'] as const,
  lists: () => [...reportKeys.all, 'list'] as const,
  list: (query: ReportQuery) => [...reportKeys.lists(), query] as const,
  details: () => [...reportKeys.all, 'detail'] as const,
  detail: (id: number) => [...reportKeys.details(), id] as const,
  assessment: (id: number) => [...reportKeys.detail(id), 'assessment'] as const,
};

export const reportListQuery = (query: ReportQuery) =>
  queryOptions({
    queryKey: reportKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/reports', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const reportDetailQuery = (id: number) =>
  queryOptions({
    queryKey: reportKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/reports/{report_id}', { params: { path: { report_id: id } }, signal })),
  });

/** The host's indicator points and veto facts for one report (admins and host clerks only). */
export const assessmentQuery = (id: number) =>
  queryOptions({
    queryKey: reportKeys.assessment(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/reports/{report_id}/assessment', { params: { path: { report_id: id } }, signal })),
  });

export function useSaveAssessment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number; body: AssessmentIn }) =>
      unwrap(api.PUT('/api/v1/reports/{report_id}/assessment', { params: { path: { report_id: id } }, body })),
    onSuccess: (_assessment, { id }) => queryClient.invalidateQueries({ queryKey: reportKeys.assessment(id) }),
  });
}

function useReportMutation<V extends { id: number }>(fn: (vars: V) => Promise<ReportRead>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (report) => {
      queryClient.setQueryData(reportKeys.detail(report.id), report);
      return queryClient.invalidateQueries({ queryKey: reportKeys.lists() });
    },
  });
}

export function useUpdateReport() {
  return useReportMutation(({ id, body }: { id: number; body: ReportUpdate }) =>
    unwrap(api.PATCH('/api/v1/reports/{report_id}', { params: { path: { report_id: id } }, body })),
  );
}

export function useSubmitReport() {
  return useReportMutation(({ id }: { id: number }) =>
    unwrap(api.POST('/api/v1/reports/{report_id}/submit', { params: { path: { report_id: id } } })),
  );
}

export function useAcceptReport() {
  return useReportMutation(({ id }: { id: number }) =>
    unwrap(api.POST('/api/v1/reports/{report_id}/accept', { params: { path: { report_id: id } } })),
  );
}

/** Accept several submitted reports at once: all of them, or none (the refusal names each). */
export function useAcceptReports() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reportIds: number[]) => unwrap(api.POST('/api/v1/reports/batch/accept', { body: { report_ids: reportIds } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: reportKeys.all }),
  });
}

export function useReturnReport() {
  return useReportMutation(({ id, comment }: { id: number; comment: string }) =>
    unwrap(api.POST('/api/v1/reports/{report_id}/return', { params: { path: { report_id: id } }, body: { comment } })),
  );
}

export function useUploadAttachment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, file, onProgress }: { id: number; file: File } & Pick<UploadOptions, 'onProgress'>) =>
      uploadFile<AttachmentRead>(`/api/v1/reports/${id}/attachments`, file, { onProgress }),
    onSuccess: (_attachment, { id }) => queryClient.invalidateQueries({ queryKey: reportKeys.detail(id) }),
  });
}

/**
 * Replace the report's text with a Word document's (.docx), the file kept among its attachments.
 * `onImported` hears of it before the report's new version reaches the page (which may re-mount the
 * component that asked).
 */
export function useImportDocument(onImported?: (result: ReportDocumentRead) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, file, onProgress }: { id: number; file: File } & Pick<UploadOptions, 'onProgress'>) =>
      uploadFile<ReportDocumentRead>(`/api/v1/reports/${id}/document`, file, { onProgress }),
    onSuccess: (result) => {
      onImported?.(result);
      queryClient.setQueryData(reportKeys.detail(result.report.id), result.report);
      return queryClient.invalidateQueries({ queryKey: reportKeys.lists() });
    },
  });
}

export function useDeleteAttachment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, attachmentId }: { id: number; attachmentId: number }) =>
      unwrap(
        api.DELETE('/api/v1/reports/{report_id}/attachments/{attachment_id}', {
          params: { path: { report_id: id, attachment_id: attachmentId } },
        }),
      ),
    onSuccess: (_data, { id }) => queryClient.invalidateQueries({ queryKey: reportKeys.detail(id) }),
  });
}

export async function downloadAttachment(reportId: number, attachment: AttachmentRead): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/reports/{report_id}/attachments/{attachment_id}', {
      params: { path: { report_id: reportId, attachment_id: attachment.id } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob as Blob, attachment.filename);
}
