import { queryOptions } from '@tanstack/react-query';

import { api } from '../../api/client';
import { unwrap } from '../../api/problem';
import type { ResponseData } from '../../api/types';

export type HomeTodo = ResponseData<'/api/v1/home/todo', 'get'>;
export type TodoEntry = HomeTodo['entries'][number];
export type TodoKey = TodoEntry['key'];
export type TodoTarget = TodoEntry['target'];
export type TodoThing = NonNullable<TodoEntry['items']>[number];

export const homeKeys = {
  all: ['home'] as const,
  todo: () => [...homeKeys.all, 'todo'] as const,
};

/** The signed-in user's to-do counts; refreshed every minute so a meeting that starts shows its ballot. */
export const homeTodoQuery = () =>
  queryOptions({
    queryKey: homeKeys.todo(),
    queryFn: ({ signal }) => unwrap(api.GET('/api/v1/home/todo', { signal })),
    refetchInterval: 60_000,
  });

/** The address a target opens: its path with its filters as the query string. */
export function targetHref(target: TodoTarget): string {
  const search = new URLSearchParams(target.query ?? {}).toString();
  return search ? `${target.path}?${search}` : target.path;
}

/** The phone ballot page is its own entry point, outside the SPA's router: a plain link reaches it. */
export function outsideSpa(target: TodoTarget): boolean {
  return target.path === '/vote' || target.path.startsWith('/vote/');
}
