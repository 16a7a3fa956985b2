import { vi } from 'vitest';

import type { OrgRead, UserRead } from '../api/types';

export type Handler = (request: Request, url: URL) => Response | Promise<Response>;

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

export function problem(
  status: number,
  title: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, request_id: 'req-1', ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });
}

/** Replace fetch with handlers keyed by "METHOD /path"; unknown routes answer 404. Returns the requests seen. */
export function mockApi(handlers: Record<string, Handler>) {
  const requests: Request[] = [];
  const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(String(input), init);
    const url = new URL(request.url);
    requests.push(request.clone());
    const handler = handlers[`${request.method} ${url.pathname}`];
    if (!handler) return problem(404, 'Not Found');
    return handler(request, url);
  });
  vi.stubGlobal('fetch', fetchMock);
  return { fetchMock, requests };
}

export function page<T>(items: T[], total = items.length, limit = 50, offset = 0) {
  return { items, total, limit, offset };
}

let nextId = 1000;

export function org(overrides: Partial<OrgRead> = {}): OrgRead {
  const id = overrides.id ?? nextId++;
  return {
    id,
    code: `ORG${id}`,
    name: `Org ${id}`,
    kind: 'township',
    parent_id: null,
    is_active: true,
    doc_prefix: null,
    issuing_organ: null,
    children_count: 0,
    created_at: '2024-01-01T00:00:00Z',
    ...overrides,
  };
}

export const ADMIN: UserRead = {
  id: 1,
  username: 'admin',
  full_name: '系统管理员',
  role: 'admin',
  org_id: 1,
  org_name: '汝阳县委',
  is_active: true,
  created_at: '2024-01-01T00:00:00Z',
};
