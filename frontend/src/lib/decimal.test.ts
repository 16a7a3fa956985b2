import { describe, expect, it } from 'vitest';

import { compareDecimals, isDecimal, sumDecimals } from './decimal';

describe('exact decimals', () => {
  it('adds weights without float error', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.3');
    expect(sumDecimals(['0.4', '0.3', '0.3'])).toBe('1');
    expect(sumDecimals(['0.4', '0.3', '0.2'])).toBe('0.9');
    expect(sumDecimals([30, '60', '10.5'])).toBe('100.5');
  });

  it('skips blanks and unreadable values', () => {
    expect(sumDecimals([])).toBe('0');
    expect(sumDecimals(['', null, undefined, 'abc', '2'])).toBe('2');
    expect(isDecimal('12abc')).toBe(false);
    expect(isDecimal('.5')).toBe(true);
    expect(isDecimal('-1.25')).toBe(true);
  });

  it('compares exactly', () => {
    expect(compareDecimals(sumDecimals(['0.4', '0.3', '0.3']), '1')).toBe(0);
    expect(compareDecimals('0.9', '1')).toBe(-1);
    expect(compareDecimals('1.0001', '1')).toBe(1);
    expect(sumDecimals(['-0.5', '0.25'])).toBe('-0.25');
  });
});
