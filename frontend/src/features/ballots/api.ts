/** The phone ballot page's calls: the form, the ballot (retried with one idempotency key), named evaluators' meetings. */
import { api, publicApi } from '../../api/client';
import { ApiError, unwrap } from '../../api/problem';
import { tokenStore } from '../../api/tokens';
import type { BallotCreate, BallotForm, BallotReceipt, VoteMeeting } from '../../api/types';

/** Who votes: the holder of a one-time QR token, or a logged-in named evaluator of a meeting. */
export type BallotAuth = { kind: 'token'; token: string } | { kind: 'named'; meetingId: number };

export function fetchBallotForm(auth: BallotAuth, signal?: AbortSignal): Promise<BallotForm> {
  if (auth.kind === 'token') {
    // The public client: a one-time token must never travel together with a session's bearer token.
    return unwrap(publicApi.GET('/api/v1/vote/form', { headers: { 'X-Ballot-Token': auth.token }, signal }));
  }
  return unwrap(api.GET('/api/v1/vote/form', { params: { query: { meeting_id: auth.meetingId } }, signal }));
}

export function fetchMyMeetings(signal?: AbortSignal): Promise<VoteMeeting[]> {
  return unwrap(api.GET('/api/v1/vote/meetings', { signal }));
}

/** A v4 UUID; crypto.randomUUID exists only on https or localhost, and a hall's LAN may serve plain http. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function' && globalThis.isSecureContext !== false) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const MAX_TRIES = 5;

/** How hard to try; tests shorten the delays. */
export const retryPolicy = { tries: MAX_TRIES, baseDelayMs: 500 };

/** Whether sending the very same request again may succeed: the network, a gateway, an overloaded server. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.kind === 'network') return true;
  return error.status === 408 || error.status === 429 || error.status >= 500;
}

/** Milliseconds before try `attempt + 1` (attempt counts from 1): 0.5 s, 1 s, 2 s, 4 s, with jitter, or Retry-After. */
export function backoffDelay(attempt: number, error: unknown, random: () => number = Math.random): number {
  if (error instanceof ApiError && error.retryAfter !== null) return Math.min(error.retryAfter, 10) * 1000;
  const base = retryPolicy.baseDelayMs * 2 ** (attempt - 1);
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface SubmitOptions {
  /** Told before each retry, with the try about to be made (2..MAX_TRIES). */
  onRetry?: (attempt: number, error: unknown) => void;
  sleep?: (ms: number) => Promise<void>;
  maxTries?: number;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Send one ballot, retrying a lost or failed request with the SAME Idempotency-Key, so the server counts it
 * once however many copies arrive. A refusal (4xx) is final and thrown at once.
 */
export async function submitBallot(
  auth: BallotAuth,
  meetingId: number,
  body: BallotCreate,
  idempotencyKey: string,
  { onRetry, sleep = wait, maxTries = retryPolicy.tries }: SubmitOptions = {},
): Promise<BallotReceipt> {
  const path = { meeting_id: meetingId };
  const params = { path, header: { 'Idempotency-Key': idempotencyKey } };
  const send = () =>
    auth.kind === 'token'
      ? unwrap(
          publicApi.POST('/api/v1/meetings/{meeting_id}/ballots', {
            params,
            headers: { 'X-Ballot-Token': auth.token },
            body,
          }),
        )
      : unwrap(api.POST('/api/v1/meetings/{meeting_id}/ballots', { params, body }));
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await send();
      // One ballot was sent, so one receipt comes back (a whole sheet would answer with `ballots`).
      if ('receipt' in answer) return answer;
      const [first] = answer.ballots;
      if (!first) throw new Error('The server accepted the ballot without a receipt');
      return first;
    } catch (error) {
      if (attempt >= maxTries || !isRetryable(error)) throw error;
      await sleep(backoffDelay(attempt, error));
      onRetry?.(attempt + 1, error);
    }
  }
}

export type BallotProblem =
  | 'network'
  | 'votingClosed'
  | 'tokenUsed'
  | 'alreadyVoted'
  | 'tokenRevoked'
  | 'tokenUnknown'
  | 'meetingEnded'
  | 'meetingNotLive'
  | 'notEvaluator'
  | 'reportUnknown'
  | 'unauthorized'
  | 'invalid'
  | 'tooMany'
  | 'server'
  | 'refused';

// Problem type codes (the end of the problem's `type` URI) the backend uses for ballot refusals.
const CODES: Record<string, BallotProblem> = {
  'voting-closed': 'votingClosed',
  'token-used': 'tokenUsed',
  'already-voted': 'alreadyVoted',
  'token-revoked': 'tokenRevoked',
  'unknown-token': 'tokenUnknown',
  'foreign-token': 'tokenUnknown',
  'not-an-evaluator': 'notEvaluator',
};

// Failing a precise code, words of the server's title or detail (English, when the UI asks for English).
const WORDS: [RegExp, BallotProblem][] = [
  [/revoked/i, 'tokenRevoked'],
  [/already (been )?used|already voted|used for this report/i, 'tokenUsed'],
  [/voting\b.*\b(closed|not open)|(closed|not open) for voting/i, 'votingClosed'],
  [/meeting (has )?ended/i, 'meetingEnded'],
  [/token/i, 'tokenUnknown'],
  [/report/i, 'reportUnknown'],
];

/** What went wrong with a ballot or a form, in words a voter understands. */
export function classifyBallotError(error: unknown): BallotProblem {
  if (!(error instanceof ApiError)) return 'refused';
  if (error.kind === 'network') return 'network';
  const code = error.problem.type.split('/').pop() ?? '';
  if (CODES[code]) return CODES[code];
  const text = `${error.problem.title} ${error.problem.detail ?? ''}`;
  // "The meeting is ended; ballots are taken only while it is live" (invalid-state, params.status).
  if (code === 'invalid-state') {
    const params = error.problem.extensions?.params as Record<string, unknown> | undefined;
    const ended = params?.status === 'ended' || /\bended\b/i.test(text);
    return ended ? 'meetingEnded' : 'meetingNotLive';
  }
  // A report that is not on the agenda is a located input error on report_id.
  if (error.status === 400 && (error.problem.errors ?? []).some((e) => e.loc.includes('report_id'))) return 'reportUnknown';
  switch (error.status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'notEvaluator';
    case 404:
    case 409:
      return WORDS.find(([pattern]) => pattern.test(text))?.[1] ?? (error.status === 404 ? 'tokenUnknown' : 'refused');
    case 400:
    case 422:
      return 'invalid';
    case 429:
      return 'tooMany';
    default:
      return error.status >= 500 ? 'server' : 'refused';
  }
}

/** Sign a named evaluator in on the phone (OAuth2 password form), without the admin app. */
export async function signIn(username: string, password: string): Promise<void> {
  const pair = await unwrap(
    publicApi.POST('/api/v1/auth/token', {
      body: { grant_type: 'password', username, password, scope: '' },
      bodySerializer: (body) => new URLSearchParams({ grant_type: 'password', username: body.username, password: body.password }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
  );
  tokenStore.setFromPair(pair);
}
