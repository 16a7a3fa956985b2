import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useSyncExternalStore } from 'react';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import { tokenStore, type StoredTokens } from '../../api/tokens';
import type { Role, TokenPair, UserRead } from '../../api/types';

export const authKeys = {
  all: ['auth'] as const,
  me: () => [...authKeys.all, 'me'] as const,
};

export interface Credentials {
  username: string;
  password: string;
}

/** Exchange a username and password for a token pair (OAuth2 password flow, form-encoded). */
export function requestToken({ username, password }: Credentials): Promise<TokenPair> {
  return unwrap(
    api.POST('/api/v1/auth/token', {
      body: { grant_type: 'password', username, password, scope: '' },
      bodySerializer: (body) =>
        new URLSearchParams({ grant_type: 'password', username: body.username, password: body.password }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    }),
  );
}

export const meQuery = () =>
  queryOptions({
    queryKey: authKeys.me(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/auth/me', { signal })),
    staleTime: 5 * 60_000,
  });

/** The stored tokens, re-rendering on login and logout (in this tab or another). */
export function useSession(): StoredTokens | null {
  return useSyncExternalStore(tokenStore.subscribe, tokenStore.get, tokenStore.get);
}

/** The logged-in user; disabled while there is no session. */
export function useMe() {
  const session = useSession();
  return useQuery({ ...meQuery(), enabled: session !== null });
}

export function hasRole(user: UserRead | undefined, roles: readonly Role[]): boolean {
  return user !== undefined && roles.includes(user.role);
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: requestToken,
    onSuccess: (pair) => {
      // Whatever was cached belonged to the previous session.
      queryClient.clear();
      tokenStore.setFromPair(pair);
    },
  });
}

export function useLogout(): () => void {
  const queryClient = useQueryClient();
  return useCallback(() => {
    tokenStore.clear();
    queryClient.clear();
  }, [queryClient]);
}
