import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { ExperimentReport } from '../api/types';

const path = '/api/v1/projects/{project}/environments/{environment}/flags/{flag}/report' as const;

export function reportKey(project: string, environment: string, flag: string) {
  return ['report', project, environment, flag] as const;
}

export function useReport(project: string, environment: string, flag: string) {
  const query = useQuery({
    queryKey: reportKey(project, environment, flag),
    queryFn: async () => (await data(api.GET(path, { params: { path: { project, environment, flag }, query: {} } }))) as ExperimentReport,
  });
  return { report: query.data, loading: query.isPending, error: query.error };
}

export function useRefreshReport(project: string, environment: string, flag: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      (await data(api.POST(`${path}/refresh`, { params: { path: { project, environment, flag }, query: {} } }))) as ExperimentReport,
    onSuccess: (report) => client.setQueryData(reportKey(project, environment, flag), report),
  });
}

/** Where the CSV of the same report downloads from (the session cookie authenticates the GET). */
export function csvUrl(project: string, environment: string, flag: string): string {
  const e = encodeURIComponent;
  return `/api/v1/projects/${e(project)}/environments/${e(environment)}/flags/${e(flag)}/report?format=csv`;
}
