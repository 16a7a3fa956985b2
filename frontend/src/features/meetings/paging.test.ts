import { act, renderHook } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { tally } from '../../test/meetings';
import { currentSpeaker, longestWait, PAGE_MS, pageRows, paging, screenPhase, usePaged } from './paging';

const rows = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('the big screen’s pages', () => {
  it.each([
    [0, 7, { pages: 1, size: 1 }],
    [7, 7, { pages: 1, size: 7 }],
    [8, 7, { pages: 2, size: 4 }],
    [14, 7, { pages: 2, size: 7 }],
    [20, 8, { pages: 3, size: 7 }],
    [216, 8, { pages: 27, size: 8 }],
  ])('%i rows of at most %i a page', (total, perPage, expected) => {
    expect(paging(total, perPage)).toEqual(expected);
  });

  it('shows every row exactly once over a round of pages, never more than the page holds', () => {
    for (const total of [1, 6, 9, 14, 20, 31]) {
      const layout = paging(total, 8);
      const seen = Array.from({ length: layout.pages }, (_, page) => pageRows(rows(total), layout, page));
      expect(seen.flat()).toEqual(rows(total));
      expect(Math.max(...seen.map((page) => page.length))).toBeLessThanOrEqual(8);
      // The last page is never a lone straggler when the rows could be spread.
      expect(Math.min(...seen.map((page) => page.length))).toBeGreaterThanOrEqual(Math.floor(total / layout.pages));
    }
    expect(pageRows(rows(20), paging(20, 8), 3)).toEqual(rows(7)); // wraps round to the first page
  });

  it('brings every row on screen within a fixed time', () => {
    expect(longestWait(7, 7)).toBe(0);
    expect(longestWait(14, 7)).toBe(PAGE_MS);
    expect(longestWait(20, 8)).toBe(2 * PAGE_MS);
  });

  describe('turning by itself', () => {
    afterEach(() => vi.useRealTimers());

    it('turns the page every PAGE_MS and comes back round', () => {
      vi.useFakeTimers();
      const { result } = renderHook(() => usePaged(rows(20), 8));
      expect(result.current).toEqual({ rows: rows(7), page: 1, pages: 3 });
      act(() => vi.advanceTimersByTime(PAGE_MS));
      expect(result.current).toEqual({ rows: [8, 9, 10, 11, 12, 13, 14], page: 2, pages: 3 });
      act(() => vi.advanceTimersByTime(PAGE_MS));
      expect(result.current).toEqual({ rows: [15, 16, 17, 18, 19, 20], page: 3, pages: 3 });
      act(() => vi.advanceTimersByTime(PAGE_MS));
      expect(result.current.page).toBe(1);
    });

    it('brings up the page of the row in focus when the focus moves, and turns on from there', () => {
      vi.useFakeTimers();
      const { result, rerender } = renderHook(({ focus }) => usePaged(rows(20), 8, PAGE_MS, focus), {
        initialProps: { focus: 0 },
      });
      expect(result.current.page).toBe(1);
      act(() => vi.advanceTimersByTime(PAGE_MS - 1000));
      rerender({ focus: 15 }); // the 16th row speaks: page 3 of 7, 7, 6
      expect(result.current.page).toBe(3);
      // A full page's time from the move, not the rest of the old one.
      act(() => vi.advanceTimersByTime(PAGE_MS - 1));
      expect(result.current.page).toBe(3);
      act(() => vi.advanceTimersByTime(1));
      expect(result.current.page).toBe(1);
    });

    it('stays put when everything fits one page', () => {
      vi.useFakeTimers();
      const { result } = renderHook(() => usePaged(rows(5), 8));
      act(() => vi.advanceTimersByTime(5 * PAGE_MS));
      expect(result.current).toEqual({ rows: rows(5), page: 1, pages: 1 });
    });
  });
});

describe('the meeting’s phase on the screen', () => {
  it('has a speaker only while the meeting is live', () => {
    expect(screenPhase(tally())).toBe('live');
    expect(currentSpeaker(tally())?.org_name).toBe('小店镇党委');
    expect(screenPhase(tally({ status: 'scheduled', current_report_id: null }))).toBe('waiting');
    // An ended meeting keeps no stale speaker, even if the last one is still recorded.
    expect(screenPhase(tally({ status: 'ended' }))).toBe('ended');
    expect(currentSpeaker(tally({ status: 'ended', current_report_id: 11 }))).toBeUndefined();
  });
});
