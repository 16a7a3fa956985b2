import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import { endOfDayUtc, formatDateTime, startOfDayUtc } from './datetime';

describe('dates in Asia/Shanghai', () => {
  it('shows UTC instants as Beijing time', () => {
    expect(formatDateTime('2024-03-01T16:30:00Z')).toBe('2024-03-02 00:30:00');
    expect(formatDateTime('2024-03-01T16:30:00+00:00')).toBe('2024-03-02 00:30:00');
  });

  it('takes a timestamp without offset as UTC', () => {
    expect(formatDateTime('2024-03-01T16:30:00')).toBe('2024-03-02 00:30:00');
  });

  it('leaves empty and unreadable values alone', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDateTime('not a date')).toBe('not a date');
  });

  it('turns a Beijing calendar day into a UTC range', () => {
    const day = dayjs('2024-03-02');
    expect(startOfDayUtc(day)).toBe('2024-03-01T16:00:00.000Z');
    expect(endOfDayUtc(day)).toBe('2024-03-02T16:00:00.000Z');
  });
});
