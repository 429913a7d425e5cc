import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { SegmentView } from '../api/types';
import type { components } from '../api/schema';

export function useSegments(project: string, environment: string | undefined) {
  const query = useQuery({
    queryKey: ['segments', project, environment],
    enabled: !!environment,
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/environments/{environment}/segments', {
          params: { path: { project, environment: environment! }, query: {} },
        }),
      )) as SegmentView[],
  });
  return { segments: query.data ?? [], loading: query.isPending && !!environment, error: query.error };
}

export function useCreateSegment(project: string, environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['CreateSegment']) =>
      (await data(
        api.POST('/api/v1/projects/{project}/environments/{environment}/segments', {
          params: { path: { project, environment } },
          body,
        }),
      )) as SegmentView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['segments', project, environment] }),
  });
}

export function useArchiveSegment(project: string, environment: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (segment: string) =>
      data(
        api.DELETE('/api/v1/projects/{project}/environments/{environment}/segments/{segment}', {
          params: { path: { project, environment, segment } },
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ['segments', project, environment] }),
  });
}
