import { useMutation, useQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { ConfigurationUpdate, EvaluateResponse } from '../api/types';

export interface EvaluateInput {
  key: string;
  attributes?: Record<string, unknown>;
  flags?: string[];
  draft?: { flag: string; configuration: ConfigurationUpdate };
  sample?: number;
}

async function evaluate(project: string, environment: string, body: EvaluateInput) {
  return (await data(
    api.POST('/api/v1/projects/{project}/environments/{environment}/evaluate', {
      params: { path: { project, environment } },
      body,
    }),
  )) as EvaluateResponse;
}

/** "Why did key K get treatment T": on demand. */
export function useEvaluate(project: string, environment: string) {
  return useMutation({ mutationFn: (body: EvaluateInput) => evaluate(project, environment, body) });
}

/** The live preview: re-asked whenever the (debounced) draft changes; the last answer stays while asking. */
export function useDraftPreview(project: string, environment: string, input: EvaluateInput | null) {
  const query = useQuery({
    queryKey: ['preview', project, environment, input],
    enabled: input !== null,
    queryFn: () => evaluate(project, environment, input!),
    placeholderData: (previous) => previous,
    staleTime: 5_000,
    retry: false,
  });
  return { preview: query.data, error: query.error, fetching: query.isFetching };
}
