/** RFC 9457 problem details as the API sends them, and the error type every API call throws. */

export interface FieldError {
  loc: (string | number)[];
  msg: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string | null;
  request_id?: string | null;
  errors?: FieldError[] | null;
  /** Members a problem type adds (RFC 9457 extensions), e.g. `error_sheet`, `blockers`. */
  extensions?: Record<string, unknown>;
}

const PROBLEM_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'request_id', 'errors']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toFieldErrors(value: unknown): FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: FieldError[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const loc = Array.isArray(item.loc)
      ? item.loc.filter((part): part is string | number => typeof part === 'string' || typeof part === 'number')
      : [];
    const msg = typeof item.msg === 'string' ? item.msg : '';
    out.push({ loc, msg });
  }
  return out;
}

/** Read a problem from whatever body an error response carried (problem+json, FastAPI's default shape, text). */
export function toProblem(body: unknown, status: number, statusText = ''): Problem {
  const fallbackTitle = statusText || `HTTP ${status}`;
  if (isRecord(body)) {
    if (typeof body.title === 'string') {
      const extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !PROBLEM_MEMBERS.has(key)));
      return {
        type: typeof body.type === 'string' ? body.type : 'about:blank',
        title: body.title,
        status: typeof body.status === 'number' ? body.status : status,
        detail: typeof body.detail === 'string' ? body.detail : null,
        request_id: typeof body.request_id === 'string' ? body.request_id : null,
        errors: toFieldErrors(body.errors) ?? null,
        ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
      };
    }
    // FastAPI's own shape, in case a response escapes the problem handler.
    if (typeof body.detail === 'string') {
      return { type: 'about:blank', title: fallbackTitle, status, detail: body.detail };
    }
    if (Array.isArray(body.detail)) {
      return { type: 'about:blank', title: fallbackTitle, status, errors: toFieldErrors(body.detail) ?? null };
    }
  }
  if (typeof body === 'string' && body.trim() !== '') {
    return { type: 'about:blank', title: fallbackTitle, status, detail: body.trim().slice(0, 500) };
  }
  return { type: 'about:blank', title: fallbackTitle, status };
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

export type ApiErrorKind = 'http' | 'network';

export class ApiError extends Error {
  readonly kind: ApiErrorKind;
  readonly status: number;
  readonly problem: Problem;
  readonly retryAfter: number | null;

  constructor(kind: ApiErrorKind, problem: Problem, retryAfter: number | null = null, options?: { cause?: unknown }) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title, options);
    this.name = 'ApiError';
    this.kind = kind;
    this.status = problem.status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }

  static fromResponse(body: unknown, response: Response): ApiError {
    return new ApiError(
      'http',
      toProblem(body, response.status, response.statusText),
      parseRetryAfter(response.headers.get('Retry-After')),
    );
  }

  static network(cause: unknown): ApiError {
    const detail = cause instanceof Error ? cause.message : String(cause);
    return new ApiError('network', { type: 'about:blank', title: 'Network error', status: 0, detail }, null, { cause });
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** Await an openapi-fetch call and return its data, or throw an ApiError for an error status or a failed fetch. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw ApiError.network(cause);
  }
  if (!result.response.ok) throw ApiError.fromResponse(result.error, result.response);
  return result.data as T;
}

export interface FormFieldError {
  name: (string | number)[];
  errors: string[];
}

const LOCATION_PREFIXES = new Set(['body', 'query', 'path', 'header', 'cookie']);

/** Group a problem's `errors` by form field, dropping the leading request part (`body`, `query`, ...). */
export function formFieldErrors(problem: Problem): FormFieldError[] {
  const byField = new Map<string, FormFieldError>();
  for (const error of problem.errors ?? []) {
    const loc = error.loc.length > 1 && LOCATION_PREFIXES.has(String(error.loc[0])) ? error.loc.slice(1) : error.loc;
    if (loc.length === 0 || LOCATION_PREFIXES.has(String(loc[0]))) continue;
    const key = JSON.stringify(loc);
    const entry = byField.get(key) ?? { name: loc, errors: [] };
    entry.errors.push(error.msg);
    byField.set(key, entry);
  }
  return [...byField.values()];
}
