import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';

import { api, publicApi } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { MeetingCreate, MeetingRead } from '../../api/types';

export const meetingKeys = {
  all: ['meetings'] as const,
  cycle: (cycleId: number) => [...meetingKeys.all, 'cycle', cycleId] as const,
  cycleMeetings: (cycleId: number) => [...meetingKeys.cycle(cycleId), 'list'] as const,
  cycleDetail: (cycleId: number) => [...meetingKeys.cycle(cycleId), 'detail'] as const,
  cycleReports: (cycleId: number) => [...meetingKeys.cycle(cycleId), 'reports'] as const,
  mine: () => [...meetingKeys.all, 'mine'] as const,
  detail: (id: number) => [...meetingKeys.all, id] as const,
  tally: (id: number, key?: string) => [...meetingKeys.detail(id), 'tally', key ?? 'session'] as const,
  tokens: (id: number) => [...meetingKeys.detail(id), 'tokens'] as const,
};

export const meetingQuery = (id: number) =>
  queryOptions({
    queryKey: meetingKeys.detail(id),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/meetings/{meeting_id}', { params: { path: { meeting_id: id } }, signal })),
  });

export const cycleMeetingsQuery = (cycleId: number) =>
  queryOptions({
    queryKey: meetingKeys.cycleMeetings(cycleId),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/cycles/{cycle_id}/meetings', { params: { path: { cycle_id: cycleId } }, signal })),
  });

/** The cycle a meeting belongs to: its groups (for token sheets) and its name. */
export const meetingCycleQuery = (cycleId: number) =>
  queryOptions({
    queryKey: meetingKeys.cycleDetail(cycleId),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/cycles/{cycle_id}', { params: { path: { cycle_id: cycleId } }, signal })),
    staleTime: 5 * 60_000,
  });

/** The accepted reports of a cycle: what can go on a meeting's agenda. */
export const agendaCandidatesQuery = (cycleId: number) =>
  queryOptions({
    queryKey: meetingKeys.cycleReports(cycleId),
    queryFn: ({ signal }) =>
      unwrap(
        api.GET('/api/v1/reports', { params: { query: { cycle_id: cycleId, status: ['accepted'], limit: 500 } }, signal }),
      ),
  });

/**
 * The tally: with the screen key it is read as the screen reads it (no session, so no scores before the reveal);
 * without, as the host's staff, who may always see scores.
 */
export const tallyQuery = (id: number, screenKey?: string) =>
  queryOptions({
    queryKey: meetingKeys.tally(id, screenKey),
    queryFn: ({ signal }) =>
      screenKey
        ? unwrap(
            publicApi.GET('/api/v1/meetings/{meeting_id}/tally', {
              params: { path: { meeting_id: id }, query: { key: screenKey } },
              signal,
            }),
          )
        : unwrap(api.GET('/api/v1/meetings/{meeting_id}/tally', { params: { path: { meeting_id: id } }, signal })),
    staleTime: 0,
  });

export const tokenSummaryQuery = (id: number) =>
  queryOptions({
    queryKey: meetingKeys.tokens(id),
    queryFn: ({ signal }) =>
      unwrap(api.GET('/api/v1/meetings/{meeting_id}/tokens', { params: { path: { meeting_id: id } }, signal })),
  });

export const myMeetingsQuery = () =>
  queryOptions({
    queryKey: meetingKeys.mine(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/vote/meetings', { signal })),
  });

export function useCreateMeeting(cycleId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: MeetingCreate) =>
      unwrap(api.POST('/api/v1/cycles/{cycle_id}/meetings', { params: { path: { cycle_id: cycleId } }, body })),
    onSuccess: (created) => {
      queryClient.setQueryData(meetingKeys.detail(created.id), created);
      return queryClient.invalidateQueries({ queryKey: meetingKeys.cycleMeetings(cycleId) });
    },
  });
}

export type MeetingAction =
  | { kind: 'start' }
  | { kind: 'end' }
  | { kind: 'speaker'; reportId: number }
  | { kind: 'voting'; reportId: number; open: boolean }
  | { kind: 'reveal'; revealed: boolean };

/** Send one host control to the API; every control answers with the meeting as it now is. */
export function runMeetingAction(id: number, action: MeetingAction): Promise<MeetingRead> {
  const path = { meeting_id: id };
  switch (action.kind) {
    case 'start':
      return unwrap(api.POST('/api/v1/meetings/{meeting_id}/start', { params: { path } }));
    case 'end':
      return unwrap(api.POST('/api/v1/meetings/{meeting_id}/end', { params: { path } }));
    case 'speaker':
      return unwrap(api.POST('/api/v1/meetings/{meeting_id}/speaker', { params: { path }, body: { report_id: action.reportId } }));
    case 'voting':
      return unwrap(
        api.POST('/api/v1/meetings/{meeting_id}/reports/{report_id}/voting', {
          params: { path: { ...path, report_id: action.reportId } },
          body: { open: action.open },
        }),
      );
    case 'reveal':
      return unwrap(api.POST('/api/v1/meetings/{meeting_id}/reveal', { params: { path }, body: { revealed: action.revealed } }));
  }
}

export function useMeetingAction(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (action: MeetingAction) => runMeetingAction(id, action),
    onSuccess: (meeting) => {
      queryClient.setQueryData(meetingKeys.detail(id), meeting);
      void queryClient.invalidateQueries({ queryKey: meetingKeys.cycleMeetings(meeting.cycle_id) });
      return queryClient.invalidateQueries({ queryKey: [...meetingKeys.detail(id), 'tally'] });
    },
  });
}

export function useIssueTokens(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { group_key: string; count: number }) =>
      unwrap(api.POST('/api/v1/meetings/{meeting_id}/tokens', { params: { path: { meeting_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meetingKeys.tokens(id) }),
  });
}

export function useRevokeTokens(id: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokens: string[]) =>
      unwrap(api.POST('/api/v1/meetings/{meeting_id}/tokens/revoke', { params: { path: { meeting_id: id } }, body: { tokens } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: meetingKeys.tokens(id) }),
  });
}

/** Where a token's QR code leads: the phone ballot page on this server. */
export function ballotUrl(token: string, origin: string = window.location.origin): string {
  return `${origin}/vote/${encodeURIComponent(token)}`;
}

/** The big screen's address, with the key that opens it without a session. */
export function screenUrl(meetingId: number, screenKey: string, origin: string = window.location.origin): string {
  return `${origin}/screen/${meetingId}?key=${encodeURIComponent(screenKey)}`;
}
