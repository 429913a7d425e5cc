import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { FlagMetricsView, MetricRequest, MetricView } from '../api/types';

export function useMetrics(project: string) {
  const query = useQuery({
    queryKey: ['metrics', project],
    queryFn: async () =>
      (await data(api.GET('/api/v1/projects/{project}/metrics', { params: { path: { project }, query: {} } }))) as MetricView[],
  });
  return { metrics: query.data ?? [], loading: query.isPending, error: query.error };
}

export function useCreateMetric(project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: MetricRequest) =>
      (await data(api.POST('/api/v1/projects/{project}/metrics', { params: { path: { project } }, body }))) as MetricView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['metrics', project] }),
  });
}

export function useFlagMetrics(project: string, flag: string) {
  const query = useQuery({
    queryKey: ['flag-metrics', project, flag],
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/flags/{flag}/metrics', { params: { path: { project, flag } } }),
      )) as FlagMetricsView,
  });
  return { flagMetrics: query.data, loading: query.isPending, error: query.error };
}

export function useSetFlagMetrics(project: string, flag: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { successMetrics: string[]; controlTreatment?: string }) =>
      (await data(
        api.PUT('/api/v1/projects/{project}/flags/{flag}/metrics', { params: { path: { project, flag } }, body }),
      )) as FlagMetricsView,
    onSuccess: (view) => client.setQueryData(['flag-metrics', project, flag], view),
  });
}
