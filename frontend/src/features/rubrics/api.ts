import { keepPreviousData, queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { RubricIn, RubricRead } from '../../api/types';

export const rubricKeys = {
  all: ['rubrics'] as const,
  lists: () => [...rubricKeys.all, 'list'] as const,
  list: (q: string, limit: number, offset: number) => [...rubricKeys.lists(), { q, limit, offset }] as const,
  details: () => [...rubricKeys.all, 'detail'] as const,
  detail: (id: number) => [...rubricKeys.details(), id] as const,
  formulas: () => [...rubricKeys.all, 'formulas'] as const,
  vetoFacts: () => [...rubricKeys.all, 'veto-facts'] as const,
};

export const rubricListQuery = (q = '', limit = 50, offset = 0) =>
  queryOptions({
    queryKey: rubricKeys.list(q, limit, offset),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/rubrics', { params: { query: { q: q || undefined, limit, offset } }, signal })),
    placeholderData: keepPreviousData,
  });

export const rubricDetailQuery = (id: number) =>
  queryOptions({
    queryKey: rubricKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rubrics/{rubric_id}', { params: { path: { rubric_id: id } }, signal })),
  });

export const formulasQuery = () =>
  queryOptions({
    queryKey: rubricKeys.formulas(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rubrics/formulas', { signal })),
    staleTime: 10 * 60_000,
  });

/** The veto facts a veto item may name: decided from the cycle's data instead of by hand. */
export const vetoFactsQuery = () =>
  queryOptions({
    queryKey: rubricKeys.vetoFacts(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/rubrics/veto-facts', { signal })),
    staleTime: 10 * 60_000,
  });

/** Create a rubric, or replace one (a frozen rubric answers with its new version). */
export function useSaveRubric() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: number | null; body: RubricIn }) =>
      id === null
        ? unwrap(api.POST('/api/v1/rubrics', { body }))
        : unwrap(api.PUT('/api/v1/rubrics/{rubric_id}', { params: { path: { rubric_id: id } }, body })),
    onSuccess: (rubric: RubricRead) => {
      queryClient.setQueryData(rubricKeys.detail(rubric.id), rubric);
      return queryClient.invalidateQueries({ queryKey: rubricKeys.lists() });
    },
  });
}
