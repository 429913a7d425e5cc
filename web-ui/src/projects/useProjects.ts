import { useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { EnvironmentView, ProjectView } from '../api/types';

export function useProjects() {
  const query = useQuery({
    queryKey: ['projects'],
    queryFn: async () => (await data(api.GET('/api/v1/projects', { params: { query: {} } }))) as ProjectView[],
  });
  return { projects: query.data ?? [], loading: query.isPending, error: query.error };
}

export function useEnvironments(project: string | undefined) {
  const query = useQuery({
    queryKey: ['environments', project],
    enabled: !!project,
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/environments', { params: { path: { project: project! } } }),
      )) as EnvironmentView[],
  });
  return { environments: query.data ?? [], loading: query.isPending && !!project, error: query.error };
}
