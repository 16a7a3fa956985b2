import { describe, expect, it } from 'vitest';

import { checkBallot, checkScore, formatPoints, toCents } from './validation';

describe('scores as typed', () => {
  it.each([
    ['0', 0],
    ['20', 2000],
    ['19.5', 1950],
    ['19.50', 1950],
    ['0.01', 1],
    ['7,25', 725],
    [' 12 ', 1200],
    ['12.', 1200],
  ])('%j is %d hundredths', (text, cents) => {
    expect(toCents(text)).toBe(cents);
  });

  it.each(['', '-1', '1.234', 'abc', '12abc', '1e2', '.5', '1..2', 'NaN'])('%j is not a score', (text) => {
    expect(toCents(text)).toBeNull();
  });

  it.each([
    ['', '20.00', { error: 'required' }],
    ['   ', '20.00', { error: 'required' }],
    ['12abc', '20.00', { error: 'format' }],
    ['1.234', '20.00', { error: 'format' }],
    ['-3', '20.00', { error: 'format' }],
    ['20.01', '20.00', { error: 'range' }],
    ['21', '20.00', { error: 'range' }],
    ['20', '20.00', { value: 20 }],
    ['0', '20.00', { value: 0 }],
    ['19.99', '20.00', { value: 19.99 }],
    ['7.5', '7.50', { value: 7.5 }],
  ])('%j against a maximum of %s', (text, max, expected) => {
    expect(checkScore(text, max)).toEqual(expected);
  });

  it('writes the maximum as a person does', () => {
    expect(formatPoints('20.00')).toBe('20');
    expect(formatPoints('7.50')).toBe('7.5');
    expect(formatPoints('0.25')).toBe('0.25');
  });
});

describe('a whole ballot', () => {
  const items = [
    { key: 'duty', title: '履责', kind: 'score' as const, max_points: '20.00', description: null },
    { key: 'overall', title: '总体', kind: 'tier' as const, max_points: '0.00', description: null },
  ];

  it('gives the items to send when every item is valid', () => {
    expect(checkBallot(items, { duty: '18.5', overall: 'fairly_good' })).toEqual({
      items: { duty: 18.5, overall: 'fairly_good' },
      errors: null,
    });
  });

  it('names every missing or wrong item', () => {
    expect(checkBallot(items, {})).toEqual({ items: null, errors: { duty: 'required', overall: 'required' } });
    expect(checkBallot(items, { duty: '25', overall: 'excellent' })).toEqual({
      items: null,
      errors: { duty: 'range', overall: 'required' },
    });
  });
});
