import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { ScheduleRequest, ScheduleView } from '../api/types';
import type { Located } from '../flags/useConfiguration';

const flagPath = '/api/v1/projects/{project}/environments/{environment}/flags/{flag}/schedules' as const;

/** One flag's scheduled changes in one environment, newest first. */
export function useFlagSchedules(at: Located) {
  const query = useQuery({
    queryKey: ['schedules', at.project, { environment: at.environment, flag: at.flag }],
    queryFn: async () => (await data(api.GET(flagPath, { params: { path: at, query: { limit: 100 } } }))) as ScheduleView[],
  });
  return { schedules: query.data ?? [], loading: query.isPending, error: query.error };
}

export interface ScheduleFilters {
  environment?: string;
  flag?: string;
  status?: string;
}

/** Every scheduled change of a project, filtered. */
export function useProjectSchedules(project: string, filters: ScheduleFilters) {
  const query = useQuery({
    queryKey: ['schedules', project, filters],
    queryFn: async () =>
      (await data(
        api.GET('/api/v1/projects/{project}/schedules', {
          params: {
            path: { project },
            query: {
              environment: filters.environment || undefined,
              flag: filters.flag || undefined,
              status: filters.status && filters.status !== 'ALL' ? filters.status : undefined,
              limit: 200,
            },
          },
        }),
      )) as ScheduleView[],
  });
  return { schedules: query.data ?? [], loading: query.isPending, error: query.error };
}

export function useCreateSchedule(at: Located) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: ScheduleRequest) => (await data(api.POST(flagPath, { params: { path: at, header: {} }, body }))) as ScheduleView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['schedules', at.project] }),
  });
}

/** Cancels a pending change (kept, as cancelled); 409 once it ran. */
export function useCancelSchedule(project: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (s: Pick<ScheduleView, 'environment' | 'flag' | 'id'>) =>
      (await data(
        api.DELETE(`${flagPath}/{id}`, { params: { path: { project, environment: s.environment, flag: s.flag, id: s.id } } }),
      )) as ScheduleView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['schedules', project] }),
  });
}
