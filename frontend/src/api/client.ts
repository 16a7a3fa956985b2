import i18n from 'i18next';
import createClient, { type Middleware } from 'openapi-fetch';

import { isLanguage, storedLanguage, type Language } from '../i18n/languages';
import type { paths } from './schema';
import { tokenStore, type StoredTokens } from './tokens';

// Resolve fetch at call time so tests can stub the global.
const lateFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

const AUTH_PATHS = new Set(['/api/v1/auth/token', '/api/v1/auth/refresh']);

type SessionListener = () => void;
const sessionListeners = new Set<SessionListener>();

/** Be told when the session ends because the refresh token was refused. */
export function onSessionExpired(listener: SessionListener): () => void {
  sessionListeners.add(listener);
  return () => {
    sessionListeners.delete(listener);
  };
}

function expireSession(): void {
  if (tokenStore.get() === null) return;
  tokenStore.clear();
  for (const listener of sessionListeners) listener();
}

/** The UI's language, which the API answers problems in (Accept-Language). */
export function requestLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : storedLanguage();
}

/** Ask every answer (its problems' title, detail and messages) in the language the UI shows. */
export const languageMiddleware: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept-Language', requestLanguage());
    return request;
  },
};

// A bare client for the refresh call, so a refused refresh never recurses into the middleware.
const bareClient = createClient<paths>({ baseUrl: '', fetch: lateFetch });
bareClient.use(languageMiddleware);

/** A client that never sends the session's bearer token: one-time ballot tokens and the screen's key only. */
export const publicApi = createClient<paths>({ baseUrl: '', fetch: lateFetch });
publicApi.use(languageMiddleware);

let refreshing: Promise<StoredTokens | null> | null = null;

/** One refresh at a time across this browser's tabs: a refresh token works once, and the same one
 * sent twice looks like a stolen copy, which ends the session everywhere. */
async function acrossTabs<T>(work: () => Promise<T>): Promise<T> {
  if (typeof navigator !== 'undefined' && 'locks' in navigator) {
    return await navigator.locks.request('shuping.refresh', work);
  }
  return await work();
}

/** Exchange the refresh token once, however many requests failed with 401 at the same time. */
export function refreshTokens(): Promise<StoredTokens | null> {
  refreshing ??= (async () => {
    const before = tokenStore.get()?.refreshToken;
    return acrossTabs(async () => {
      // Another tab may have refreshed meanwhile: the token we hold is spent, take the new pair.
      const current = tokenStore.reload();
      if (!current) return null;
      if (before !== undefined && current.refreshToken !== before) return current;
      try {
        const { data, response } = await bareClient.POST('/api/v1/auth/refresh', {
          body: { refresh_token: current.refreshToken },
        });
        if (!response.ok || !data) return null;
        // The answer carries the next refresh token: the one just sent no longer works.
        return tokenStore.setFromPair(data);
      } catch {
        return null;
      }
    });
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

// Requests are kept (cloned, body included) until their response arrives so one can be replayed after a refresh.
const inFlight = new Map<string, { request: Request; token: string }>();

export const authMiddleware: Middleware = {
  onRequest({ request, schemaPath, id }) {
    if (AUTH_PATHS.has(schemaPath)) return request;
    const tokens = tokenStore.get();
    if (!tokens) return request;
    request.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    inFlight.set(id, { request: request.clone(), token: tokens.accessToken });
    return request;
  },
  async onResponse({ response, id, options }) {
    const sent = inFlight.get(id);
    inFlight.delete(id);
    if (response.status !== 401 || !sent) return undefined;
    const current = tokenStore.get();
    // Another request may already have refreshed; only refresh if the token we sent is still the stored one.
    const fresh = current && current.accessToken !== sent.token ? current : await refreshTokens();
    if (!fresh) {
      expireSession();
      return undefined;
    }
    sent.request.headers.set('Authorization', `Bearer ${fresh.accessToken}`);
    const retried = await options.fetch(sent.request);
    if (retried.status === 401) expireSession();
    return retried;
  },
  onError({ id }) {
    inFlight.delete(id);
  },
};

/** The one way the SPA talks to the API: typed by the generated schema, authorised by the middleware. */
export const api = createClient<paths>({ baseUrl: '', fetch: lateFetch });
api.use(languageMiddleware, authMiddleware);
