import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import { uploadFile } from '../../api/upload';
import { meetingKeys } from './api';

export type PaperForm = components['schemas']['PaperForm'];
export type PaperItem = PaperForm['items'][number];
export type PaperSheet = components['schemas']['PaperSheetIn'];
export type Reconciliation = components['schemas']['Reconciliation'];
export type PaperPair = components['schemas']['PaperPair'];
export type PaperImportCheck = components['schemas']['PaperImportCheck'];
export type PaperEntryResult = components['schemas']['PaperEntryResult'];
export type Entry = 1 | 2;
export const TIERS = ['good', 'fairly_good', 'average', 'poor'] as const;
export type Tier = (typeof TIERS)[number];

export const paperKeys = {
  all: (id: number) => [...meetingKeys.detail(id), 'paper'] as const,
  form: (id: number) => [...paperKeys.all(id), 'form'] as const,
  reconciliation: (id: number) => [...paperKeys.all(id), 'reconciliation'] as const,
};

export const paperFormQuery = (id: number) =>
  queryOptions({
    queryKey: paperKeys.form(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/meetings/{meeting_id}/paper-ballots/form', { params: { path: { meeting_id: id } }, signal })),
  });

export const reconciliationQuery = (id: number) =>
  queryOptions({
    queryKey: paperKeys.reconciliation(id),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/meetings/{meeting_id}/paper-ballots/reconciliation', { params: { path: { meeting_id: id } }, signal }),
      ),
    staleTime: 0,
  });

/** Store one clerk's copy of some sheets (replacing that clerk's earlier copy of each). */
export function useEnterSheets(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ entry, sheets }: { entry: Entry; sheets: PaperSheet[] }) =>
      unwrap(api.POST('/api/v1/meetings/{meeting_id}/paper-ballots', { params: { path: { meeting_id: id } }, body: { entry, sheets } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: paperKeys.all(id) }),
  });
}

/** Count every sheet whose two entries agree; the meeting's tally changes with it. */
export function useCommitSheets(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/meetings/{meeting_id}/paper-ballots/commit', { params: { path: { meeting_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meetingKeys.detail(id) }),
  });
}

/** Upload a file of sheets as one entry: a dry run checks it and stores nothing. */
export function importSheets(
  id: number,
  { file, entry, dryRun, onProgress }: { file: File; entry: Entry; dryRun: boolean; onProgress?: (percent: number) => void },
): Promise<PaperEntryResult | PaperImportCheck> {
  const query = new URLSearchParams({ entry: String(entry), dry_run: String(dryRun) });
  return uploadFile<PaperEntryResult | PaperImportCheck>(`/api/v1/meetings/${id}/paper-ballots/import?${query}`, file, { onProgress });
}

/** The value a clerk typed or chose for an item, as the API stores it: a number or a tier's key. */
export function isTier(value: string): value is Tier {
  return (TIERS as readonly string[]).includes(value);
}
