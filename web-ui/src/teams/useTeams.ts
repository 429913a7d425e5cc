import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { ChannelRequest, ChannelView, NotificationView, TeamView } from '../api/types';

/** Teams of a project, each with its channels. */
export function useTeams(project: string) {
  const query = useQuery({
    queryKey: ['teams', project],
    queryFn: async () => (await data(api.GET('/api/v1/projects/{project}/teams', { params: { path: { project } } }))) as TeamView[],
  });
  return { teams: query.data ?? [], loading: query.isPending, error: query.error };
}

/** The project's default channels: flags whose owning team has no reachable channel notify these. */
export function useDefaultChannels(project: string) {
  const query = useQuery({
    queryKey: ['channels', project],
    queryFn: async () => (await data(api.GET('/api/v1/projects/{project}/channels', { params: { path: { project } } }))) as ChannelView[],
  });
  return { channels: query.data ?? [], loading: query.isPending, error: query.error };
}

function useInvalidate(project: string) {
  const client = useQueryClient();
  return () => {
    client.invalidateQueries({ queryKey: ['teams', project] });
    client.invalidateQueries({ queryKey: ['channels', project] });
  };
}

export function useCreateTeam(project: string) {
  const invalidate = useInvalidate(project);
  return useMutation({
    mutationFn: async (body: { key: string; name: string }) =>
      (await data(api.POST('/api/v1/projects/{project}/teams', { params: { path: { project } }, body }))) as TeamView,
    onSuccess: invalidate,
  });
}

export function useRenameTeam(project: string) {
  const invalidate = useInvalidate(project);
  return useMutation({
    mutationFn: async (v: { team: string; name: string }) =>
      (await data(
        api.PATCH('/api/v1/projects/{project}/teams/{team}', { params: { path: { project, team: v.team } }, body: { name: v.name } }),
      )) as TeamView,
    onSuccess: invalidate,
  });
}

export function useDeleteTeam(project: string) {
  const invalidate = useInvalidate(project);
  return useMutation({
    mutationFn: async (team: string) => data(api.DELETE('/api/v1/projects/{project}/teams/{team}', { params: { path: { project, team } } })),
    onSuccess: invalidate,
  });
}

/** Where a channel lives: a team's, or (team null) the project's defaults. */
export interface ChannelScope {
  project: string;
  team: string | null;
}

/** Creates a channel; a webhook's answer holds its signing secret, this once. */
export function useCreateChannel({ project, team }: ChannelScope) {
  const invalidate = useInvalidate(project);
  return useMutation({
    mutationFn: async (body: ChannelRequest) =>
      (team
        ? await data(api.POST('/api/v1/projects/{project}/teams/{team}/channels', { params: { path: { project, team } }, body }))
        : await data(api.POST('/api/v1/projects/{project}/channels', { params: { path: { project } }, body }))) as ChannelView,
    onSuccess: invalidate,
  });
}

export function useDeleteChannel({ project, team }: ChannelScope) {
  const invalidate = useInvalidate(project);
  return useMutation({
    mutationFn: async (channel: string) =>
      team
        ? data(api.DELETE('/api/v1/projects/{project}/teams/{team}/channels/{channel}', { params: { path: { project, team, channel } } }))
        : data(api.DELETE('/api/v1/projects/{project}/channels/{channel}', { params: { path: { project, channel } } })),
    onSuccess: invalidate,
  });
}

/** A new signing secret for a webhook channel, in this answer only. */
export function useRotateSecret({ project, team }: ChannelScope) {
  return useMutation({
    mutationFn: async (channel: string) =>
      (team
        ? await data(api.POST('/api/v1/projects/{project}/teams/{team}/channels/{channel}/secret', { params: { path: { project, team, channel } } }))
        : await data(api.POST('/api/v1/projects/{project}/channels/{channel}/secret', { params: { path: { project, channel } } }))) as ChannelView,
  });
}

/** Sends a test notification now (one attempt); the answer is the notification with its delivery log. */
export function useTestChannel({ project, team }: ChannelScope) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (channel: string) =>
      (team
        ? await data(api.POST('/api/v1/projects/{project}/teams/{team}/channels/{channel}/test', { params: { path: { project, team, channel } } }))
        : await data(api.POST('/api/v1/projects/{project}/channels/{channel}/test', { params: { path: { project, channel } } }))) as NotificationView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['notifications', project] }),
  });
}

/** PATCH a channel: switch it on or off (a disabled channel is skipped), rename it or move its URL. */
export function useUpdateChannel({ project, team }: ChannelScope) {
  const invalidate = useInvalidate(project);
  return useMutation({
    mutationFn: async (v: { channel: string; patch: { enabled?: boolean; name?: string; url?: string } }) =>
      (team
        ? await data(
            api.PATCH('/api/v1/projects/{project}/teams/{team}/channels/{channel}', { params: { path: { project, team, channel: v.channel } }, body: v.patch }),
          )
        : await data(api.PATCH('/api/v1/projects/{project}/channels/{channel}', { params: { path: { project, channel: v.channel } }, body: v.patch }))) as ChannelView,
    onSuccess: invalidate,
  });
}
