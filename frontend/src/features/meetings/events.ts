import { useCallback, useEffect, useRef, useState } from 'react';

/** The live events a meeting's stream sends; any of them may change what a screen shows. */
export const MEETING_EVENTS = ['speaker', 'voting', 'tally', 'reveal', 'meeting'] as const;
export type MeetingEventType = (typeof MEETING_EVENTS)[number];

export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

const MAX_BACKOFF_MS = 15_000;

export function eventsUrl(meetingId: number, screenKey: string, after?: string): string {
  const query = new URLSearchParams({ key: screenKey });
  if (after) query.set('after', after);
  return `/api/v1/meetings/${meetingId}/events?${query.toString()}`;
}

/**
 * Follow a meeting's Server-Sent Events. The browser's EventSource reconnects by itself and resumes with
 * Last-Event-ID; when the server refuses or restarts hard (the source closes) a new source resumes with `after`.
 * `onEvent` is also called with 'open' on every (re)connection, so a screen can catch up.
 */
export function useMeetingEvents(
  meetingId: number,
  screenKey: string | null | undefined,
  onEvent: (type: MeetingEventType | 'open', data: unknown) => void,
): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handler = useRef(onEvent);
  useEffect(() => {
    handler.current = onEvent;
  });

  useEffect(() => {
    if (!screenKey || typeof EventSource === 'undefined') return undefined;
    let source: EventSource | null = null;
    let lastId: string | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let backoff = 1000;
    let stopped = false;

    const connect = () => {
      clearTimeout(retry);
      source?.close();
      const current = new EventSource(eventsUrl(meetingId, screenKey, lastId));
      source = current;
      current.onopen = () => {
        backoff = 1000;
        setStatus('live');
        handler.current('open', null);
      };
      current.onerror = () => {
        if (stopped) return;
        setStatus('reconnecting');
        if (current.readyState === EventSource.CLOSED) {
          retry = setTimeout(connect, backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      };
      for (const type of MEETING_EVENTS) {
        current.addEventListener(type, (event: MessageEvent<string>) => {
          if (event.lastEventId) lastId = event.lastEventId;
          let data: unknown = null;
          try {
            data = JSON.parse(event.data);
          } catch {
            // An event without a JSON body still tells the screen to refresh.
          }
          handler.current(type, data);
        });
      }
    };

    const onOnline = () => {
      if (source?.readyState === EventSource.CLOSED) connect();
    };
    window.addEventListener('online', onOnline);
    connect();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      window.removeEventListener('online', onOnline);
    };
  }, [meetingId, screenKey]);

  return status;
}

/**
 * Call `fn` at most once per `intervalMs`: the first call runs at once, calls during the pause are folded into
 * one more run at its end. A burst of ballots thus costs a screen at most a few refetches a second.
 */
export function coalesce(fn: () => void, intervalMs: number): { run: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dirty = false;
  const tick = () => {
    if (dirty) {
      dirty = false;
      fn();
      timer = setTimeout(tick, intervalMs);
    } else {
      timer = undefined;
    }
  };
  return {
    run: () => {
      if (timer !== undefined) {
        dirty = true;
        return;
      }
      fn();
      timer = setTimeout(tick, intervalMs);
    },
    cancel: () => {
      clearTimeout(timer);
      timer = undefined;
      dirty = false;
    },
  };
}

/** A stable coalesced version of `fn` for a component's lifetime. */
export function useCoalesced(fn: () => void, intervalMs: number): () => void {
  const latest = useRef(fn);
  const coalescer = useRef<ReturnType<typeof coalesce> | null>(null);
  useEffect(() => {
    latest.current = fn;
  });
  useEffect(() => {
    const current = coalesce(() => latest.current(), intervalMs);
    coalescer.current = current;
    return () => {
      current.cancel();
      coalescer.current = null;
    };
  }, [intervalMs]);
  return useCallback(() => coalescer.current?.run(), []);
}
