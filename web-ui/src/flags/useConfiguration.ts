import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, commentHeader } from '../api/client';
import type { ConfigurationUpdate, ConfigurationView } from '../api/types';

export interface Located {
  project: string;
  environment: string;
  flag: string;
}

/** The configuration with the ETag it was read at; the ETag goes back as If-Match when saving. */
export interface VersionedConfiguration {
  configuration: ConfigurationView;
  etag: string;
}

const path = '/api/v1/projects/{project}/environments/{environment}/flags/{flag}' as const;

export function configurationKey({ project, environment, flag }: Located) {
  return ['configuration', project, environment, flag] as const;
}

export function useConfiguration(at: Located) {
  const query = useQuery({
    queryKey: configurationKey(at),
    queryFn: async (): Promise<VersionedConfiguration> => {
      const { data, response } = await api.GET(path, { params: { path: at } });
      return {
        configuration: data as ConfigurationView,
        etag: response.headers.get('ETag') ?? `"${(data as ConfigurationView).version}"`,
      };
    },
  });
  return { current: query.data, loading: query.isPending, error: query.error, refetch: query.refetch };
}

function useStore(at: Located) {
  const client = useQueryClient();
  return (result: { data?: unknown; response: Response }) => {
    const configuration = result.data as ConfigurationView;
    const etag = result.response.headers.get('ETag') ?? `"${configuration.version}"`;
    client.setQueryData<VersionedConfiguration>(configurationKey(at), { configuration, etag });
    client.invalidateQueries({ queryKey: ['flag-summaries', at.project] });
    client.invalidateQueries({ queryKey: ['audit'] });
    return configuration;
  };
}

/** PUT with If-Match: a 412 (someone saved in between) comes back as an ApiError with isConflict. */
export function useSaveConfiguration(at: Located) {
  const store = useStore(at);
  return useMutation({
    mutationFn: async (v: { body: ConfigurationUpdate; etag: string; comment?: string }) =>
      store(
        await api.PUT(path, {
          params: { path: at, header: { 'If-Match': v.etag } },
          headers: commentHeader(v.comment),
          body: v.body,
        }),
      ),
  });
}

export function useKill(at: Located) {
  const store = useStore(at);
  return useMutation({
    mutationFn: async (v: { comment: string }) =>
      store(await api.POST(`${path}/kill`, { params: { path: at }, headers: commentHeader(v.comment) })),
  });
}

export function useRestore(at: Located) {
  const store = useStore(at);
  return useMutation({
    mutationFn: async (v: { comment?: string }) =>
      store(await api.POST(`${path}/restore`, { params: { path: at }, headers: commentHeader(v.comment) })),
  });
}

/** The body a PUT takes, from what a GET returned (killed, version and timestamps are not part of it). */
export function toUpdate(c: ConfigurationView): ConfigurationUpdate {
  return {
    enabled: c.enabled,
    offTreatment: c.offTreatment,
    rules: c.rules,
    defaultServe: c.defaultServe,
    trafficAllocation: c.trafficAllocation,
    prerequisites: c.prerequisites,
  };
}
