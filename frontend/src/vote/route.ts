import type { BallotAuth } from '../features/ballots/api';

export type VoteRoute = { page: 'ballot'; auth: BallotAuth } | { page: 'mine' } | { page: 'not-found' };

const TOKEN = /^[A-Za-z0-9_-]{8,200}$/;

/** /vote/<token> (anonymous QR), /vote/meeting/<id> (named evaluator), /vote (a named evaluator's meetings). */
export function parseVoteRoute(pathname: string): VoteRoute {
  const parts = pathname.split('/').filter(Boolean);
  if (parts[0] !== 'vote') return { page: 'not-found' };
  if (parts.length === 1) return { page: 'mine' };
  if (parts.length === 3 && parts[1] === 'meeting' && /^\d{1,12}$/.test(parts[2]!)) {
    return { page: 'ballot', auth: { kind: 'named', meetingId: Number(parts[2]) } };
  }
  if (parts.length === 2) {
    let token = parts[1]!;
    try {
      token = decodeURIComponent(token);
    } catch {
      return { page: 'not-found' };
    }
    if (TOKEN.test(token)) return { page: 'ballot', auth: { kind: 'token', token } };
  }
  return { page: 'not-found' };
}
