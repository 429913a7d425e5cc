import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { ExposureReport, KeyExposure } from '../api/types';

export function useExposure(project: string, environment: string, flag: string, interval: string) {
  const query = useQuery({
    queryKey: ['exposure', project, environment, flag, interval],
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/environments/{environment}/flags/{flag}/exposure', {
          params: { path: { project, environment, flag }, query: { interval } },
        }),
      )) as ExposureReport,
    refetchInterval: 30_000,
  });
  return { exposure: query.data, loading: query.isPending, error: query.error };
}

export function useKeyExposure(project: string, environment: string, flag: string, key: string) {
  const query = useQuery({
    queryKey: ['exposure-key', project, environment, flag, key],
    enabled: !!key,
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/environments/{environment}/flags/{flag}/exposure/keys/{key}', {
          params: { path: { project, environment, flag, key }, query: {} },
        }),
      )) as KeyExposure,
  });
  return { keyExposure: query.data, loading: query.isFetching, error: query.error };
}
