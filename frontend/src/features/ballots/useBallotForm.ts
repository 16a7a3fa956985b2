import { useCallback, useEffect, useRef, useState } from 'react';

import { ApiError } from '../../api/problem';
import type { BallotForm } from '../../api/types';
import { fetchBallotForm, type BallotAuth } from './api';

/** Phones poll the form (no SSE on phones): the speaker and which reports are open change during the meeting. */
export const POLL_MS = 3000;

export interface BallotFormState {
  form: BallotForm | null;
  /** The last failure, cleared by the next success. */
  error: unknown;
  /** Epoch ms of the last successful load. */
  loadedAt: number | null;
  /** The failure is final (unknown or revoked token, not an evaluator, signed out): polling has stopped. */
  stopped: boolean;
  refresh: () => void;
}

function isFinal(error: unknown): boolean {
  return error instanceof ApiError && error.kind === 'http' && [401, 403, 404, 409].includes(error.status);
}

/** Load the ballot form and keep it fresh every few seconds, and at once when the phone wakes up. */
export function useBallotForm(auth: BallotAuth | null, intervalMs = POLL_MS): BallotFormState {
  const [state, setState] = useState<Omit<BallotFormState, 'refresh'>>({
    form: null,
    error: null,
    loadedAt: null,
    stopped: false,
  });
  const kick = useRef<() => void>(() => {});
  const authKey = auth === null ? null : auth.kind === 'token' ? `t:${auth.token}` : `m:${auth.meetingId}`;

  useEffect(() => {
    if (auth === null) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    let alive = true;

    const load = async () => {
      clearTimeout(timer);
      controller?.abort();
      const current = new AbortController();
      controller = current;
      try {
        const form = await fetchBallotForm(auth, current.signal);
        if (!alive || current.signal.aborted) return;
        setState({ form, error: null, loadedAt: Date.now(), stopped: false });
      } catch (error) {
        if (!alive || current.signal.aborted) return;
        const stopped = isFinal(error);
        setState((previous) => ({ ...previous, error, stopped }));
        if (stopped) return;
      }
      timer = setTimeout(() => void load(), intervalMs);
    };
    kick.current = () => void load();

    const onVisible = () => {
      if (document.visibilityState === 'visible') void load();
    };
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', onVisible);
    void load();
    return () => {
      alive = false;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', onVisible);
    };
    // The auth object is identified by authKey; a new object with the same identity must not restart polling.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [authKey, intervalMs]);

  const refresh = useCallback(() => kick.current(), []);
  return { ...state, refresh };
}
