/**
 * Exact arithmetic on the decimal strings the API sends ("0.4", "30"): weights and points are
 * never floats, so 0.4 + 0.3 + 0.3 is exactly 1 here too.
 */

const DECIMAL = /^\s*([+-]?)(\d*)(?:\.(\d*))?\s*$/;

interface Scaled {
  value: bigint;
  scale: number;
}

function parse(text: string | number | null | undefined): Scaled | null {
  if (text === null || text === undefined) return null;
  const match = DECIMAL.exec(String(text));
  if (!match) return null;
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  const digits = `${whole || '0'}${fraction}`;
  const value = BigInt(digits) * (sign === '-' ? -1n : 1n);
  return { value, scale: fraction.length };
}

/** Whether a string is a plain decimal number. */
export function isDecimal(text: string | number | null | undefined): boolean {
  return parse(text) !== null;
}

function format({ value, scale }: Scaled): string {
  const negative = value < 0n;
  let digits = (negative ? -value : value).toString().padStart(scale + 1, '0');
  let out = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  if (scale > 0) out = out.replace(/0+$/, '').replace(/\.$/, '');
  digits = out;
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** The exact sum of decimal strings, skipping blanks and anything unreadable; "0" for none. */
export function sumDecimals(values: readonly (string | number | null | undefined)[]): string {
  const parsed = values.map(parse).filter((v): v is Scaled => v !== null);
  const scale = Math.max(0, ...parsed.map((p) => p.scale));
  const total = parsed.reduce((acc, p) => acc + p.value * 10n ** BigInt(scale - p.scale), 0n);
  return format({ value: total, scale });
}

/** Compare two decimal strings exactly: -1, 0 or 1 (unreadable counts as 0). */
export function compareDecimals(a: string | number, b: string | number): number {
  const pa = parse(a) ?? { value: 0n, scale: 0 };
  const pb = parse(b) ?? { value: 0n, scale: 0 };
  const scale = Math.max(pa.scale, pb.scale);
  const x = pa.value * 10n ** BigInt(scale - pa.scale);
  const y = pb.value * 10n ** BigInt(scale - pb.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}
