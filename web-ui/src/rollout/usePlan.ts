import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, commentHeader } from '../api/client';
import { ApiError } from '../api/problem';
import type { PlanRequest, PlanView } from '../api/types';
import type { Located } from '../flags/useConfiguration';

const path = '/api/v1/projects/{project}/environments/{environment}/flags/{flag}/plan' as const;

/** The plan with the ETag it was read at (If-Match when a draft is redefined). */
export interface VersionedPlan {
  plan: PlanView;
  etag: string;
}

export function planKey({ project, environment, flag }: Located) {
  return ['plan', project, environment, flag] as const;
}

/** The flag's rollout plan in one environment; null when it never had one (the server answers 404). */
export function usePlan(at: Located) {
  const query = useQuery({
    queryKey: planKey(at),
    queryFn: async (): Promise<VersionedPlan | null> => {
      try {
        const { data, response } = await api.GET(path, { params: { path: at } });
        const plan = data as PlanView;
        return { plan, etag: response.headers.get('ETag') ?? `"${plan.version}"` };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return null;
        throw e;
      }
    },
    // an active plan moves on by itself (the scheduler checks every 30 s)
    refetchInterval: (q) => (q.state.data?.plan.status === 'ACTIVE' ? 15_000 : false),
  });
  return { current: query.data ?? null, loading: query.isPending, error: query.error };
}

function useStore(at: Located) {
  const client = useQueryClient();
  return (result: { data?: unknown; response: Response }): PlanView => {
    const plan = result.data as PlanView;
    client.setQueryData<VersionedPlan>(planKey(at), { plan, etag: result.response.headers.get('ETag') ?? `"${plan.version}"` });
    // a plan's step changes the flag's configuration
    client.invalidateQueries({ queryKey: ['configuration', at.project, at.environment, at.flag] });
    client.invalidateQueries({ queryKey: ['flag-summaries', at.project] });
    return plan;
  };
}

/** PUT: defines a plan, or redefines the draft (If-Match its ETag). */
export function useDefinePlan(at: Located) {
  const store = useStore(at);
  return useMutation({
    mutationFn: async (v: { body: PlanRequest; etag?: string }) =>
      store(await api.PUT(path, { params: { path: at, header: v.etag ? { 'If-Match': v.etag } : {} }, body: v.body })),
  });
}

export type PlanAction = 'start' | 'approve' | 'pause' | 'resume' | 'skip' | 'abort';

/** A person's action on the plan, with an optional comment kept in the history and the audit log. */
export function usePlanAction(at: Located) {
  const store = useStore(at);
  return useMutation({
    mutationFn: async (v: { action: PlanAction; comment?: string; stage?: number }) => {
      const options = { params: { path: at }, headers: commentHeader(v.comment) };
      switch (v.action) {
        case 'start':
          return store(await api.POST(`${path}/start`, options));
        case 'pause':
          return store(await api.POST(`${path}/pause`, options));
        case 'resume':
          return store(await api.POST(`${path}/resume`, options));
        case 'abort':
          return store(await api.POST(`${path}/abort`, options));
        case 'approve':
          return store(await api.POST(`${path}/approve`, { ...options, body: v.stage === undefined ? {} : { stage: v.stage } }));
        case 'skip':
          return store(await api.POST(`${path}/skip`, { ...options, body: v.stage === undefined ? {} : { toStage: v.stage } }));
      }
    },
  });
}

/** Which actions the plan's status allows (docs/guardrails.md, "What people can do"). */
export function allowedActions(plan: PlanView): PlanAction[] {
  switch (plan.status) {
    case 'DRAFT':
      return ['start', 'approve', 'abort'];
    case 'ACTIVE':
      return ['approve', 'pause', 'skip', 'abort'];
    case 'PAUSED':
    case 'HALTED':
      return ['approve', 'resume', 'skip', 'abort'];
    default:
      return [];
  }
}
