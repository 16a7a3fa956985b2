/**
 * What the phone remembers for this tab: receipts to show again after a reload, and ballots whose answer never
 * arrived, so a retry after a reload still sends the same Idempotency-Key. Kept in sessionStorage: gone with the tab.
 */
import type { BallotCreate } from '../../api/types';
import type { BallotAuth } from './api';

export interface PendingBallot {
  key: string;
  body: BallotCreate;
}

interface Memory {
  receipts: Record<string, string>;
  pending: Record<string, PendingBallot>;
}

function storageKey(auth: BallotAuth): string {
  return auth.kind === 'token' ? `shuping.vote.t.${auth.token}` : `shuping.vote.m.${auth.meetingId}`;
}

function read(auth: BallotAuth): Memory {
  try {
    const raw = sessionStorage.getItem(storageKey(auth));
    if (raw) {
      const value = JSON.parse(raw) as Partial<Memory>;
      return { receipts: value.receipts ?? {}, pending: value.pending ?? {} };
    }
  } catch {
    // Unavailable or corrupt storage: start afresh, the server still refuses duplicates.
  }
  return { receipts: {}, pending: {} };
}

function write(auth: BallotAuth, memory: Memory): void {
  try {
    sessionStorage.setItem(storageKey(auth), JSON.stringify(memory));
  } catch {
    // Private mode or full: keep going with what is in memory.
  }
}

export const ballotMemory = {
  receipts(auth: BallotAuth): Record<string, string> {
    return read(auth).receipts;
  },
  pending(auth: BallotAuth, reportId: number): PendingBallot | undefined {
    return read(auth).pending[reportId];
  },
  setPending(auth: BallotAuth, reportId: number, pending: PendingBallot): void {
    const memory = read(auth);
    memory.pending[reportId] = pending;
    write(auth, memory);
  },
  clearPending(auth: BallotAuth, reportId: number): void {
    const memory = read(auth);
    delete memory.pending[reportId];
    write(auth, memory);
  },
  accept(auth: BallotAuth, reportId: number, receipt: string): void {
    const memory = read(auth);
    delete memory.pending[reportId];
    memory.receipts[reportId] = receipt;
    write(auth, memory);
  },
};

/** The same ballot as before (so the same key must be reused), compared by content. */
export function sameBallot(a: BallotCreate, b: BallotCreate): boolean {
  const canonical = (body: BallotCreate) =>
    JSON.stringify([
      body.report_id,
      Object.entries(body.items).sort(([x], [y]) => x.localeCompare(y)),
      body.comment ?? null,
      body.comment_category ?? null,
    ]);
  return canonical(a) === canonical(b);
}
