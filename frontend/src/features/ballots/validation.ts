/** Ballot checks done on the phone before sending, mirroring the server's: every item, 0..max, at most 2 decimals. */
import { TIERS, type BallotCreate, type BallotItem, type Tier } from '../../api/types';

export type ItemValue = string | Tier | undefined;
export type ItemError = 'required' | 'format' | 'range';

const SCORE = /^\d{1,6}(?:[.,]\d{0,2})?$/;

/** A decimal string ("20", "20.5", "20.00") as whole hundredths, exactly; null when it is not one. */
export function toCents(text: string): number | null {
  const value = text.trim().replace(',', '.');
  if (!/^\d{1,6}(?:\.\d{0,2})?$/.test(value)) return null;
  const [whole = '0', fraction = ''] = value.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Check one score as typed against the item's maximum; returns the number to send, or why it cannot be sent. */
export function checkScore(text: string | undefined, maxPoints: string): { value: number } | { error: ItemError } {
  const typed = (text ?? '').trim();
  if (typed === '') return { error: 'required' };
  if (!SCORE.test(typed)) return { error: 'format' };
  const cents = toCents(typed);
  const max = toCents(maxPoints);
  if (cents === null) return { error: 'format' };
  if (max !== null && cents > max) return { error: 'range' };
  return { value: cents / 100 };
}

export function isTier(value: unknown): value is Tier {
  return typeof value === 'string' && (TIERS as readonly string[]).includes(value);
}

/** Check a whole ballot: the items to send when all are valid, otherwise the error of each bad item. */
export function checkBallot(
  items: readonly BallotItem[],
  values: Readonly<Record<string, ItemValue>>,
): { items: BallotCreate['items']; errors: null } | { items: null; errors: Record<string, ItemError> } {
  const out: BallotCreate['items'] = {};
  const errors: Record<string, ItemError> = {};
  for (const item of items) {
    const value = values[item.key];
    if (item.kind === 'tier') {
      if (isTier(value)) out[item.key] = value;
      else errors[item.key] = 'required';
      continue;
    }
    const checked = checkScore(value, item.max_points);
    if ('error' in checked) errors[item.key] = checked.error;
    else out[item.key] = checked.value;
  }
  return Object.keys(errors).length > 0 ? { items: null, errors } : { items: out, errors: null };
}

/** "20.00" → "20", "7.50" → "7.5": the maximum as a person writes it. */
export function formatPoints(points: string): string {
  const cents = toCents(points);
  if (cents === null) return points;
  return String(cents / 100);
}
