import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { AlertView } from '../api/types';

export interface AlertFilters {
  environment?: string;
  flag?: string;
  status?: string;
  kind?: string;
}

/** A project's alerts, newest first, filtered (the API reads only projects the person may read). */
export function useAlerts(project: string, filters: AlertFilters) {
  const query = useQuery({
    queryKey: ['alerts', project, filters],
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/alerts', {
          params: {
            query: {
              project,
              environment: filters.environment || undefined,
              flag: filters.flag || undefined,
              status: filters.status && filters.status !== 'ALL' ? filters.status : undefined,
              kind: filters.kind && filters.kind !== 'ALL' ? filters.kind : undefined,
              limit: 200,
            },
          },
        }),
      )) as AlertView[],
  });
  return { alerts: query.data ?? [], loading: query.isPending, error: query.error };
}

/** Acknowledge ("I am on it": the alert stays open and current) or resolve it, with the comment the audit log keeps. */
export function useAlertAction(project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, action, comment }: { id: number; action: 'ack' | 'resolve'; comment: string }) =>
      (await data(
        action === 'ack'
          ? api.POST('/api/v1/alerts/{id}/ack', { params: { path: { id } }, body: { comment } })
          : api.POST('/api/v1/alerts/{id}/resolve', { params: { path: { id } }, body: { comment } }),
      )) as AlertView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['alerts', project] }),
  });
}
