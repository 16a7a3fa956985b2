import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, publicApi } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { components } from '../../api/schema';
import type {
  LedgerItemQuery,
  LedgerItemUpdate,
  LedgerNoteCreate,
  LedgerTransitionIn,
  OpinionCreate,
  OpinionImportResult,
  OpinionQuery,
} from '../../api/types';
import { saveBlob } from '../../lib/download';

/** Show an item on the public board under a title of the org department's own, or withdraw it. */
export type LedgerPublicityIn = components['schemas']['PublicityIn'];

export const ledgerKeys = {
  all: ['ledger'] as const,
  items: () => [...ledgerKeys.all, 'items'] as const,
  itemList: (query: LedgerItemQuery) => [...ledgerKeys.items(), 'list', query] as const,
  item: (id: number) => [...ledgerKeys.items(), 'detail', id] as const,
  stats: (cycleId?: number) => [...ledgerKeys.all, 'stats', cycleId ?? null] as const,
  reminders: (cycleId?: number) => [...ledgerKeys.all, 'reminders', cycleId ?? null] as const,
  opinions: (cycleId: number, query: OpinionQuery) => [...ledgerKeys.all, 'opinions', cycleId, query] as const,
  unfiled: (cycleId: number) => [...ledgerKeys.all, 'unfiled', cycleId] as const,
  followup: (cycleId: number, orgId: number) => [...ledgerKeys.all, 'followup', cycleId, orgId] as const,
  boards: () => ['ledger-board'] as const,
  board: (cycleId?: number) => [...ledgerKeys.boards(), cycleId ?? null] as const,
};

export const itemListQuery = (query: LedgerItemQuery) =>
  queryOptions({
    queryKey: ledgerKeys.itemList(query),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/ledger/items', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });

export const itemQuery = (id: number) =>
  queryOptions({
    queryKey: ledgerKeys.item(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/ledger/items/{item_id}', { params: { path: { item_id: id } }, signal })),
  });

export const statsQuery = (cycleId?: number) =>
  queryOptions({
    queryKey: ledgerKeys.stats(cycleId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/ledger/stats', { params: { query: { cycle_id: cycleId } }, signal })),
  });

export const remindersQuery = (cycleId?: number) =>
  queryOptions({
    queryKey: ledgerKeys.reminders(cycleId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/ledger/reminders', { params: { query: { cycle_id: cycleId } }, signal })),
  });

export const opinionsQuery = (cycleId: number, query: OpinionQuery) =>
  queryOptions({
    queryKey: ledgerKeys.opinions(cycleId, query),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/cycles/{cycle_id}/opinions', { params: { path: { cycle_id: cycleId }, query }, signal })),
    placeholderData: keepPreviousData,
  });

export const unfiledQuery = (cycleId: number) =>
  queryOptions({
    queryKey: ledgerKeys.unfiled(cycleId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/ledger/unfiled-opinions', { params: { query: { cycle_id: cycleId } }, signal })),
  });

export const followupQuery = (cycleId: number, orgId: number) =>
  queryOptions({
    queryKey: ledgerKeys.followup(cycleId, orgId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/ledger/followup', { params: { query: { cycle_id: cycleId, org_id: orgId } }, signal })),
  });

/** Which cycles have opinions, for a page to open on the latest that does. */
export const opinionsProbe = {
  key: 'opinions',
  has: async (cycleId: number) =>
    (await unwrap(api.GET('/api/v1/cycles/{cycle_id}/opinions', { params: { path: { cycle_id: cycleId }, query: { limit: 1 } } })))
      .total > 0,
};

/** Which cycles have ledger items (within the user's scope), for a page to open on the latest that does. */
export const itemsProbe = {
  key: 'ledger-items',
  has: async (cycleId: number) =>
    (await unwrap(api.GET('/api/v1/ledger/items', { params: { query: { cycle_id: cycleId, limit: 1 } } }))).total > 0,
};

/** The public progress board: no login, so the bare client (no bearer token). */
export const boardQuery = (cycleId?: number) =>
  queryOptions({
    queryKey: ledgerKeys.board(cycleId),
    queryFn: ({ signal }) =>
      unwrap(publicApi.GET('/api/v1/public/ledger-board', { params: { query: { cycle_id: cycleId } }, signal })),
  });

function useInvalidateLedger() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ledgerKeys.all });
}

export function useTransition(itemId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: LedgerTransitionIn) =>
      unwrap(api.POST('/api/v1/ledger/items/{item_id}/transitions', { params: { path: { item_id: itemId } }, body })),
    onSuccess: invalidate,
  });
}

/** Fold other items into this one: their opinions (every source), notes, files and history move; they go. */
export function useMergeItems(itemId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (itemIds: number[]) =>
      unwrap(api.POST('/api/v1/ledger/items/{item_id}/merge', { params: { path: { item_id: itemId } }, body: { item_ids: itemIds } })),
    onSuccess: invalidate,
  });
}

/** One step for several items at once: all of them move, or none (the refusal names each). */
export function useBatchTransition() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: { item_ids: number[]; to: LedgerTransitionIn['to']; note?: string | null }) =>
      unwrap(api.POST('/api/v1/ledger/items/batch/transitions', { body })),
    onSuccess: invalidate,
  });
}

/** Fold `itemIds` into `target` (the merge of one item, its target chosen at call time). */
export function useMergeInto() {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ target, itemIds }: { target: number; itemIds: number[] }) =>
      unwrap(api.POST('/api/v1/ledger/items/{item_id}/merge', { params: { path: { item_id: target } }, body: { item_ids: itemIds } })),
    onSuccess: invalidate,
  });
}

/** A cycle's open and in-progress items that repeat one another, grouped per organisation (the org department's). */
export const duplicatesQuery = (cycleId: number) =>
  queryOptions({
    queryKey: [...ledgerKeys.all, 'duplicates', cycleId] as const,
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/ledger/duplicates', { params: { query: { cycle_id: cycleId } }, signal })),
  });

export function useUpdateItem(itemId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: LedgerItemUpdate) =>
      unwrap(api.PATCH('/api/v1/ledger/items/{item_id}', { params: { path: { item_id: itemId } }, body })),
    onSuccess: invalidate,
  });
}

/** Mark an item public under a title of its own, retitle it, or withdraw it; the board follows. */
export function useSetPublicity(itemId: number) {
  const queryClient = useQueryClient();
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: LedgerPublicityIn) =>
      unwrap(api.PUT('/api/v1/ledger/items/{item_id}/publicity', { params: { path: { item_id: itemId } }, body })),
    onSuccess: () => Promise.all([invalidate(), queryClient.invalidateQueries({ queryKey: ledgerKeys.boards() })]),
  });
}

export function useAddNote(itemId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: LedgerNoteCreate) =>
      unwrap(api.POST('/api/v1/ledger/items/{item_id}/notes', { params: { path: { item_id: itemId } }, body })),
    onSuccess: invalidate,
  });
}

function formOf(file: File): FormData {
  const form = new FormData();
  form.append('file', file);
  return form;
}

export function useUploadEvidence(itemId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (file: File) =>
      unwrap(
        api.POST('/api/v1/ledger/items/{item_id}/evidence', {
          params: { path: { item_id: itemId } },
          body: { file: file.name },
          bodySerializer: () => formOf(file),
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useRemoveEvidence(itemId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (evidenceId: number) =>
      unwrap(
        api.DELETE('/api/v1/ledger/items/{item_id}/evidence/{evidence_id}', {
          params: { path: { item_id: itemId, evidence_id: evidenceId } },
        }),
      ),
    onSuccess: invalidate,
  });
}

export function useCreateOpinion(cycleId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: (body: OpinionCreate) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/opinions', { params: { path: { cycle_id: cycleId } }, body })),
    onSuccess: invalidate,
  });
}

export function useHarvest(cycleId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/cycles/{cycle_id}/opinions/from-ballots', { params: { path: { cycle_id: cycleId } } })),
    onSuccess: invalidate,
  });
}

/** Upload a sheet; a dry run only checks, a real run applies every row or none. */
export function useImportOpinions(cycleId: number) {
  const invalidate = useInvalidateLedger();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }): Promise<OpinionImportResult> =>
      unwrap(
        api.POST('/api/v1/cycles/{cycle_id}/opinions/imports', {
          params: { path: { cycle_id: cycleId }, query: { dry_run: dryRun } },
          body: { file: file.name },
          bodySerializer: () => formOf(file),
        }),
      ),
    onSuccess: (result) => {
      if (result.applied) void invalidate();
    },
  });
}

/** The file the ledger is exported as: an Excel workbook, or a UTF-8 CSV whose formula-like text is defused. */
export type LedgerExportFormat = components['schemas']['ExportFormat'];

export async function downloadLedger(query: LedgerItemQuery, format: LedgerExportFormat = 'xlsx'): Promise<void> {
  const filters = { ...query };
  delete filters.limit;
  delete filters.offset;
  const blob = await unwrap(
    format === 'csv'
      ? api.GET('/api/v1/ledger/items.csv', { params: { query: filters }, parseAs: 'blob' })
      : api.GET('/api/v1/ledger/items.xlsx', { params: { query: filters }, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, `ledger.${format}`);
}

export async function downloadImportTemplate(cycleId: number): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/cycles/{cycle_id}/opinions/imports/template', { params: { path: { cycle_id: cycleId } }, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, 'opinion-template.xlsx');
}

export async function downloadImportErrors(cycleId: number, importId: number): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/cycles/{cycle_id}/opinions/imports/{import_id}/errors', {
      params: { path: { cycle_id: cycleId, import_id: importId } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob as Blob, `opinion-import-${importId}-errors.xlsx`);
}

export async function downloadEvidence(itemId: number, evidenceId: number, filename: string): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/ledger/items/{item_id}/evidence/{evidence_id}', {
      params: { path: { item_id: itemId, evidence_id: evidenceId } },
      parseAs: 'blob',
    }),
  );
  saveBlob(blob as Blob, filename);
}

export async function downloadFollowup(cycleId: number, orgId: number, filename: string): Promise<void> {
  const blob = await unwrap(
    api.GET('/api/v1/ledger/followup.docx', { params: { query: { cycle_id: cycleId, org_id: orgId } }, parseAs: 'blob' }),
  );
  saveBlob(blob as Blob, filename);
}
