/** The session's tokens in localStorage, observable so the UI follows a login or logout in any tab. */

export interface StoredTokens {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds when the access token expires. */
  expiresAt: number;
}

export const TOKENS_KEY = 'shuping.tokens';

type Listener = () => void;

const listeners = new Set<Listener>();
// useSyncExternalStore needs a stable snapshot, so the parsed value is cached until it changes.
let snapshot: StoredTokens | null | undefined;

function read(): StoredTokens | null {
  try {
    const raw = localStorage.getItem(TOKENS_KEY);
    if (!raw) return null;
    const value: unknown = JSON.parse(raw);
    if (
      typeof value === 'object' &&
      value !== null &&
      'accessToken' in value &&
      'refreshToken' in value &&
      'expiresAt' in value &&
      typeof value.accessToken === 'string' &&
      typeof value.refreshToken === 'string' &&
      typeof value.expiresAt === 'number'
    ) {
      return { accessToken: value.accessToken, refreshToken: value.refreshToken, expiresAt: value.expiresAt };
    }
  } catch {
    // A corrupt entry is treated as no session.
  }
  return null;
}

function emit(): void {
  snapshot = undefined;
  for (const listener of listeners) listener();
}

export const tokenStore = {
  get(): StoredTokens | null {
    if (snapshot === undefined) snapshot = read();
    return snapshot;
  },
  /** Read storage again now: another tab may have written it before its storage event arrived. */
  reload(): StoredTokens | null {
    const fresh = read();
    if (JSON.stringify(fresh) !== JSON.stringify(tokenStore.get())) emit();
    return tokenStore.get();
  },
  set(tokens: StoredTokens): void {
    localStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
    emit();
  },
  setFromPair(pair: { access_token: string; refresh_token: string; expires_in: number }): StoredTokens {
    const tokens = {
      accessToken: pair.access_token,
      refreshToken: pair.refresh_token,
      expiresAt: Date.now() + pair.expires_in * 1000,
    };
    tokenStore.set(tokens);
    return tokens;
  },
  clear(): void {
    localStorage.removeItem(TOKENS_KEY);
    emit();
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key === TOKENS_KEY || event.key === null) emit();
  });
}
