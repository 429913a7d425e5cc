import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { FlagSummary, FlagView } from '../api/types';
import type { components } from '../api/schema';

export interface FlagFilters {
  q?: string;
  tag?: string;
  owner?: string;
  kind?: string;
  status?: string;
}

/** The flag list with each flag's state per environment and its last change. */
export function useFlagSummaries(project: string, filters: FlagFilters) {
  const query = useQuery({
    queryKey: ['flag-summaries', project, filters],
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/flag-summaries', {
          params: { path: { project }, query: clean(filters) },
        }),
      )) as FlagSummary[],
    placeholderData: (previous) => previous,
  });
  return { summaries: query.data ?? [], loading: query.isPending, error: query.error, fetching: query.isFetching };
}

export function useFlag(project: string, flag: string) {
  const query = useQuery({
    queryKey: ['flag', project, flag],
    queryFn: async () =>
      (await data(api.GET('/api/v1/projects/{project}/flags/{flag}', { params: { path: { project, flag } } }))) as FlagView,
  });
  return { flag: query.data, loading: query.isPending, error: query.error };
}

export function useCreateFlag(project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: components['schemas']['CreateFlag']) =>
      (await data(api.POST('/api/v1/projects/{project}/flags', { params: { path: { project } }, body }))) as FlagView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['flag-summaries', project] }),
  });
}

function clean(filters: FlagFilters): FlagFilters {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as FlagFilters;
}
