import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { NotificationView } from '../api/types';

export interface NotificationFilters {
  status?: string;
  team?: string;
  kind?: string;
  flag?: string;
}

/** A project's notifications, newest first, each with its delivery attempts. Pending ones change by themselves. */
export function useNotifications(project: string, filters: NotificationFilters) {
  const query = useQuery({
    queryKey: ['notifications', project, filters],
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/notifications', {
          params: {
            path: { project },
            query: {
              status: filters.status || undefined,
              team: filters.team || undefined,
              kind: filters.kind || undefined,
              flag: filters.flag || undefined,
              limit: 100,
            },
          },
        }),
      )) as NotificationView[],
    refetchInterval: (q) => (q.state.data?.some((n) => n.status === 'pending') ? 10_000 : false),
  });
  return { notifications: query.data ?? [], loading: query.isPending, error: query.error };
}

/** Puts a dead (or sent) notification back with a fresh allowance of attempts and tries at once. */
export function useRedeliver(project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) =>
      (await data(api.POST('/api/v1/projects/{project}/notifications/{id}/redeliver', { params: { path: { project, id } } }))) as NotificationView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications', project] }),
  });
}
