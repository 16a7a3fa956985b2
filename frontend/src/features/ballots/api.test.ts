import { afterEach, describe, expect, it, vi } from 'vitest';

import { ApiError } from '../../api/problem';
import { tokenStore } from '../../api/tokens';
import { json, mockApi, problem } from '../../test/api';
import { ballotForm } from '../../test/meetings';
import {
  backoffDelay,
  classifyBallotError,
  fetchBallotForm,
  MAX_TRIES,
  newIdempotencyKey,
  submitBallot,
  type BallotAuth,
} from './api';

const TOKEN: BallotAuth = { kind: 'token', token: 'tok_abcdefghijkl' };
const NAMED: BallotAuth = { kind: 'named', meetingId: 7 };
const BODY = { report_id: 11, items: { duty: 18, overall: 'good' as const } };
const RECEIPT = { receipt: 'K7Q2-M9XD', report_id: 11, group_key: 'deputies' };
const noSleep = () => Promise.resolve();

function session() {
  tokenStore.set({ accessToken: 'session-access', refreshToken: 'r', expiresAt: Date.now() + 60_000 });
}

describe('the ballot form', () => {
  it('sends the one-time token, and never the session, for an anonymous ballot', async () => {
    session();
    const { requests } = mockApi({ 'GET /api/v1/vote/form': () => json(ballotForm()) });
    await fetchBallotForm(TOKEN);
    expect(requests[0]!.headers.get('X-Ballot-Token')).toBe('tok_abcdefghijkl');
    expect(requests[0]!.headers.has('Authorization')).toBe(false);
  });

  it('sends the session and the meeting for a named ballot', async () => {
    session();
    const { requests } = mockApi({ 'GET /api/v1/vote/form': () => json(ballotForm()) });
    await fetchBallotForm(NAMED);
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer session-access');
    expect(new URL(requests[0]!.url).searchParams.get('meeting_id')).toBe('7');
    expect(requests[0]!.headers.has('X-Ballot-Token')).toBe(false);
  });
});

describe('submitting a ballot', () => {
  afterEach(() => vi.restoreAllMocks());

  it('retries a lost request with the same Idempotency-Key until it is accepted', async () => {
    let calls = 0;
    const { requests } = mockApi({
      'POST /api/v1/meetings/7/ballots': () => {
        calls += 1;
        if (calls === 1) throw new TypeError('Failed to fetch');
        if (calls === 2) return problem(503, 'Service unavailable');
        return json(RECEIPT, 201);
      },
    });
    const retries: number[] = [];
    const answer = await submitBallot(TOKEN, 7, BODY, 'key-1', { sleep: noSleep, onRetry: (n) => retries.push(n) });
    expect(answer).toEqual(RECEIPT);
    expect(requests).toHaveLength(3);
    expect(requests.map((r) => r.headers.get('Idempotency-Key'))).toEqual(['key-1', 'key-1', 'key-1']);
    expect(requests.every((r) => r.headers.get('X-Ballot-Token') === 'tok_abcdefghijkl')).toBe(true);
    expect(await requests[2]!.json()).toEqual(BODY);
    expect(retries).toEqual([2, 3]);
  });

  it(`gives up after ${MAX_TRIES} tries and reports the network`, async () => {
    const { requests } = mockApi({
      'POST /api/v1/meetings/7/ballots': () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const failure = await submitBallot(TOKEN, 7, BODY, 'key-2', { sleep: noSleep }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(classifyBallotError(failure)).toBe('network');
    expect(requests).toHaveLength(MAX_TRIES);
    expect(new Set(requests.map((r) => r.headers.get('Idempotency-Key')))).toEqual(new Set(['key-2']));
  });

  it('does not retry a refusal', async () => {
    const { requests } = mockApi({
      'POST /api/v1/meetings/7/ballots': () =>
        problem(409, 'Token already used', { type: 'https://shuping.example/problems/token-used' }),
    });
    const failure = await submitBallot(TOKEN, 7, BODY, 'key-3', { sleep: noSleep }).catch((e: unknown) => e);
    expect(classifyBallotError(failure)).toBe('tokenUsed');
    expect(requests).toHaveLength(1);
  });

  it('sends a named ballot with the session and no token header', async () => {
    session();
    const { requests } = mockApi({ 'POST /api/v1/meetings/7/ballots': () => json(RECEIPT, 201) });
    await submitBallot(NAMED, 7, BODY, 'key-4');
    expect(requests[0]!.headers.get('Authorization')).toBe('Bearer session-access');
    expect(requests[0]!.headers.get('Idempotency-Key')).toBe('key-4');
    expect(requests[0]!.headers.has('X-Ballot-Token')).toBe(false);
  });

  it('backs off exponentially, or as long as Retry-After says', () => {
    const half = () => 0.5;
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, new TypeError('x'), half))).toEqual([500, 1000, 2000, 4000]);
    const limited = new ApiError('http', { type: 'about:blank', title: 'Too many', status: 429 }, 3);
    expect(backoffDelay(1, limited)).toBe(3000);
  });
});

describe('ballot problems in plain words', () => {
  const http = (status: number, title: string, extra: { type?: string; detail?: string } = {}) =>
    new ApiError('http', { type: extra.type ?? 'about:blank', title, status, detail: extra.detail ?? null });
  const code = (c: string) => ({ type: `https://shuping.example/problems/${c}` });

  it.each([
    [http(409, 'Conflict', code('voting-closed')), 'votingClosed'],
    [http(409, 'Conflict', code('token-used')), 'tokenUsed'],
    [http(409, 'Conflict', code('already-voted')), 'alreadyVoted'],
    [http(409, 'Conflict', code('token-revoked')), 'tokenRevoked'],
    [http(404, 'Unknown ballot token', code('unknown-token')), 'tokenUnknown'],
    [http(403, 'Forbidden', code('foreign-token')), 'tokenUnknown'],
    [http(403, 'Forbidden', code('not-an-evaluator')), 'notEvaluator'],
    [http(409, 'Invalid state', { ...code('invalid-state'), detail: 'The meeting is ended; ballots are taken only while it is live' }), 'meetingEnded'],
    [http(409, 'Invalid state', { ...code('invalid-state'), detail: 'The meeting is scheduled; ballots are taken only while it is live' }), 'meetingNotLive'],
    [http(409, 'Conflict', { detail: 'Voting on this report is closed' }), 'votingClosed'],
    [http(409, 'Conflict', { detail: 'This token has already been used for this report' }), 'tokenUsed'],
    [http(409, 'Conflict', { detail: 'The token was revoked' }), 'tokenRevoked'],
    [http(409, 'Conflict', { detail: 'Something else' }), 'refused'],
    [http(404, 'Not found', { detail: 'Unknown ballot token' }), 'tokenUnknown'],
    [http(404, 'Not found', { detail: 'Unknown report' }), 'reportUnknown'],
    [http(404, 'Not found'), 'tokenUnknown'],
    [http(422, 'Malformed request'), 'invalid'],
    [
      new ApiError('http', {
        type: 'https://shuping.example/problems/invalid-input',
        title: 'Invalid input',
        status: 400,
        errors: [{ loc: ['body', 'report_id'], msg: "Report 99 is not on this meeting's agenda" }],
      }),
      'reportUnknown',
    ],
    [http(400, 'Invalid input'), 'invalid'],
    [http(401, 'Not authenticated'), 'unauthorized'],
    [http(403, 'Forbidden'), 'notEvaluator'],
    [http(429, 'Too many requests'), 'tooMany'],
    [http(500, 'Internal error'), 'server'],
    [ApiError.network(new TypeError('Failed to fetch')), 'network'],
  ])('%s → %s', (error, expected) => {
    expect(classifyBallotError(error)).toBe(expected);
  });
});

describe('idempotency keys', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('are v4 UUIDs, also where crypto.randomUUID is missing (plain http on a LAN)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newIdempotencyKey()).toMatch(uuid);
    vi.stubGlobal('isSecureContext', false);
    const keys = new Set(Array.from({ length: 50 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(50);
    for (const key of keys) expect(key).toMatch(uuid);
  });
});
