import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { coalesce, eventsUrl } from './events';

describe('coalescing refetches', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once, then folds a burst into one more run per interval', () => {
    const fn = vi.fn();
    const { run } = coalesce(fn, 200);
    run();
    expect(fn).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 50; i += 1) run();
    expect(fn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(200);
    expect(fn).toHaveBeenCalledTimes(2);
    run();
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('keeps a steady stream of events to five runs a second', () => {
    const fn = vi.fn();
    const { run } = coalesce(fn, 200);
    for (let ms = 0; ms < 1000; ms += 10) {
      run();
      vi.advanceTimersByTime(10);
    }
    expect(fn.mock.calls.length).toBeLessThanOrEqual(6);
    expect(fn.mock.calls.length).toBeGreaterThanOrEqual(5);
  });
});

describe('the event stream address', () => {
  it('carries the screen key, and where to resume', () => {
    expect(eventsUrl(7, 'k y')).toBe('/api/v1/meetings/7/events?key=k+y');
    expect(eventsUrl(7, 'abc', '41')).toBe('/api/v1/meetings/7/events?key=abc&after=41');
  });
});
