import { useEffect, useState } from 'react';

import type { Tally, TallyReport } from '../../api/types';

/** Rows of the ranking one page of the big screen holds at 1920×1080 in its large type. */
export const RANKING_ROWS = 7;
/** Rows of the agenda one page holds. */
export const AGENDA_ROWS = 8;
/** How long a page stays up: long enough to read, short enough that every unit comes round soon. */
export const PAGE_MS = 8000;

export interface Paging {
  /** How many pages, at least 1. */
  pages: number;
  /** Rows per page: at most `perPage`, spread evenly so the last page is not a lone row. */
  size: number;
}

/** Pages of at most `perPage` rows, balanced: 20 rows of 8 a page are pages of 7, 7 and 6. */
export function paging(total: number, perPage: number): Paging {
  const limit = Math.max(1, Math.floor(perPage));
  const pages = Math.max(1, Math.ceil(total / limit));
  return { pages, size: Math.max(1, Math.ceil(total / pages)) };
}

/** The rows of page `page` (0-based, wrapping round). */
export function pageRows<T>(rows: readonly T[], { pages, size }: Paging, page: number): T[] {
  const at = ((page % pages) + pages) % pages;
  return rows.slice(at * size, (at + 1) * size);
}

/** The longest a row waits before it is on screen: every other page's turn. */
export function longestWait(total: number, perPage: number, pageMs: number = PAGE_MS): number {
  return (paging(total, perPage).pages - 1) * pageMs;
}

export interface Paged<T> {
  rows: T[];
  /** 1-based, for "第 2/3 页". */
  page: number;
  pages: number;
}

/**
 * The rows on screen now: the pages turn by themselves every `pageMs` while there is more than one. When
 * `focus` (a row's index, such as the speaker's) changes, its page comes up at once and the turning goes on
 * from there.
 */
export function usePaged<T>(rows: readonly T[], perPage: number, pageMs: number = PAGE_MS, focus: number = -1): Paged<T> {
  const layout = paging(rows.length, perPage);
  const { pages, size } = layout;
  const focusPage = focus >= 0 ? Math.floor(focus / size) : 0;
  const [tick, setTick] = useState(focusPage);
  // Adjusted while rendering (not in an effect): the page of a new focus shows in the same paint.
  const [seen, setSeen] = useState(focus);
  if (seen !== focus) {
    setSeen(focus);
    if (focus >= 0) setTick(focusPage);
  }
  useEffect(() => {
    if (pages <= 1) return undefined;
    const timer = setInterval(() => setTick((n) => n + 1), pageMs);
    return () => clearInterval(timer);
  }, [pages, pageMs, focus]);
  const page = tick % pages;
  return { rows: pageRows(rows, layout, page), page: page + 1, pages };
}

/** What the screen is showing: before the meeting, during it, or after it (the final view). */
export type ScreenPhase = 'waiting' | 'live' | 'ended';

export function screenPhase(tally: Pick<Tally, 'status'>): ScreenPhase {
  if (tally.status === 'ended') return 'ended';
  return tally.status === 'live' ? 'live' : 'waiting';
}

/** The report speaking now: only while the meeting is live, so an ended meeting shows no stale speaker. */
export function currentSpeaker(tally: Pick<Tally, 'status' | 'current_report_id' | 'reports'>): TallyReport | undefined {
  if (screenPhase(tally) !== 'live' || tally.current_report_id == null) return undefined;
  return tally.reports.find((report) => report.report_id === tally.current_report_id);
}
