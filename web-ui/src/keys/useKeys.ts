import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { CreatedSdkKey, CreatedToken, SdkKeyView, TokenView } from '../api/types';
import type { components } from '../api/schema';

export function useSdkKeys(project: string, environment: string | undefined) {
  const query = useQuery({
    queryKey: ['sdk-keys', project, environment],
    enabled: !!environment,
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/environments/{environment}/sdk-keys', {
          params: { path: { project, environment: environment! } },
        }),
      )) as SdkKeyView[],
  });
  return { keys: query.data ?? [], loading: query.isPending && !!environment, error: query.error };
}

export function useCreateSdkKey(project: string, environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (name: string) =>
      (await data(
        api.POST('/api/v1/projects/{project}/environments/{environment}/sdk-keys', {
          params: { path: { project, environment } },
          body: { name },
        }),
      )) as CreatedSdkKey,
    onSuccess: () => client.invalidateQueries({ queryKey: ['sdk-keys', project, environment] }),
  });
}

export function useRevokeSdkKey(project: string, environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) =>
      data(
        api.DELETE('/api/v1/projects/{project}/environments/{environment}/sdk-keys/{id}', {
          params: { path: { project, environment, id } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['sdk-keys', project, environment] }),
  });
}

export function useTokens() {
  const query = useQuery({
    queryKey: ['tokens'],
    queryFn: async () => (await data(api.GET('/api/v1/tokens'))) as TokenView[],
  });
  return { tokens: query.data ?? [], loading: query.isPending, error: query.error };
}

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['CreateToken']) => (await data(api.POST('/api/v1/tokens', { body }))) as CreatedToken,
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens'] }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: number) => data(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['tokens'] }),
  });
}
