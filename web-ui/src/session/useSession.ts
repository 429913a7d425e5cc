import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import { ApiError } from '../api/problem';
import type { SessionView } from '../api/types';

export const sessionKey = ['session'] as const;

/** Who is signed in; null when nobody is (401). */
export function useSession() {
  const query = useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<SessionView | null> => {
      try {
        return (await data(api.GET('/api/v1/session'))) as SessionView;
      } catch (e) {
        if (e instanceof ApiError && e.isUnauthorized) return null;
        throw e;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
  return { session: query.data ?? null, loading: query.isPending, error: query.error };
}

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (credentials: { username: string; password: string }) =>
      (await data(api.POST('/api/v1/session', { body: credentials }))) as SessionView,
    onSuccess: (session) => {
      client.clear();
      client.setQueryData(sessionKey, session);
    },
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api.DELETE('/api/v1/session');
    },
    onSettled: () => {
      client.clear();
      client.setQueryData(sessionKey, null);
    },
  });
}

/** What the server's Actor.canEdit says: admins anywhere, editors in their projects, viewers nowhere. */
export function canEdit(session: SessionView | null, project: string | undefined): boolean {
  if (!session || !project) return false;
  if (session.role === 'admin') return true;
  return session.role === 'editor' && session.projects.includes(project);
}

export function isAdmin(session: SessionView | null): boolean {
  return session?.role === 'admin';
}
