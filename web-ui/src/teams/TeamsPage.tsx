import { useState } from 'react';
import { useParams } from 'react-router';
import { Badge, Button, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { fieldError } from '../api/problem';
import type { TeamView } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import { canEdit, useSession } from '../session/useSession';
import ChannelsSection from './ChannelsSection';
import { useCreateTeam, useDefaultChannels, useDeleteTeam, useRenameTeam, useTeams } from './useTeams';

/**
 * Who is told when a flag needs attention: teams (a flag's owner team) with their channels, and the project's default
 * channels for flags without a reachable team.
 */
export default function TeamsPage() {
  const { project = '' } = useParams();
  const { session } = useSession();
  const editable = canEdit(session, project);
  const { teams, loading, error } = useTeams(project);
  const defaults = useDefaultChannels(project);
  return (
    <Stack>
      <Title order={1} size="h2">
        Teams and channels
      </Title>
      <Text size="sm" c="dimmed">
        A flag's owner team gets its plan steps, failed schedules and guardrail news on its channels; flags without a reachable team notify the
        project's default channels.
      </Text>
      {editable && <NewTeamForm project={project} />}
      <ProblemAlert error={error ?? defaults.error} />
      {loading ? (
        <Loading />
      ) : teams.length === 0 ? (
        <Empty title="No teams yet">Create one with the key flags use as their owner team.</Empty>
      ) : (
        teams.map((team) => <TeamCard key={team.key} project={project} team={team} editable={editable} />)
      )}
      <Paper withBorder p="sm" component="section" aria-label="Project default channels">
        <Title order={2} size="h4" mb="xs">
          Project default channels
        </Title>
        {defaults.loading ? <Loading /> : <ChannelsSection scope={{ project, team: null }} channels={defaults.channels} editable={editable} title="the project" />}
      </Paper>
    </Stack>
  );
}

function NewTeamForm({ project }: { project: string }) {
  const create = useCreateTeam(project);
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  return (
    <form
      aria-label="New team"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate({ key, name: name || key }, { onSuccess: () => (setKey(''), setName('')) });
      }}
    >
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput label="Team key" description="as flags name their owner team" required value={key} onChange={(e) => setKey(e.currentTarget.value)} error={fieldError(create.error, '/key')} w={{ base: '100%', xs: 200 }} />
        <TextInput label="Team name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, '/name')} w={{ base: '100%', xs: 220 }} />
        <Button type="submit" mt={{ base: 0, xs: 44 }} loading={create.isPending}>
          Create team
        </Button>
      </Group>
      <FormProblem error={create.error} />
    </form>
  );
}

function TeamCard({ project, team, editable }: { project: string; team: TeamView; editable: boolean }) {
  const rename = useRenameTeam(project);
  const remove = useDeleteTeam(project);
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(team.name);
  const [confirming, setConfirming] = useState(false);
  return (
    <Paper withBorder p="sm" component="section" aria-label={`Team ${team.key}`}>
      <Group justify="space-between" wrap="wrap" mb="xs">
        {renaming ? (
          <form
            aria-label={`Rename team ${team.key}`}
            onSubmit={(e) => {
              e.preventDefault();
              rename.mutate({ team: team.key, name }, { onSuccess: () => setRenaming(false) });
            }}
          >
            <Group align="flex-start" gap="xs">
              <TextInput label={`New name of ${team.key}`} value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(rename.error, '/name')} />
              <Button type="submit" mt={25} size="xs" loading={rename.isPending}>
                Save
              </Button>
              <Button mt={25} size="xs" variant="default" onClick={() => setRenaming(false)}>
                Cancel
              </Button>
            </Group>
          </form>
        ) : (
          <Group gap="xs">
            <Title order={2} size="h4">
              {team.name || team.key}
            </Title>
            <Badge variant="outline">{team.key}</Badge>
          </Group>
        )}
        {editable && !renaming && (
          <Group gap={4}>
            <Button size="compact-sm" variant="default" onClick={() => (setName(team.name), setRenaming(true))} aria-label={`Rename team ${team.key}`}>
              Rename
            </Button>
            {confirming ? (
              <>
                <Button size="compact-sm" color="red" loading={remove.isPending} onClick={() => remove.mutate(team.key)}>
                  Delete {team.key} and its channels
                </Button>
                <Button size="compact-sm" variant="default" onClick={() => setConfirming(false)}>
                  Keep it
                </Button>
              </>
            ) : (
              <Button size="compact-sm" color="red" variant="subtle" onClick={() => setConfirming(true)} aria-label={`Delete team ${team.key}`}>
                Delete
              </Button>
            )}
          </Group>
        )}
      </Group>
      <ProblemAlert error={remove.error} />
      <ChannelsSection scope={{ project, team: team.key }} channels={team.channels} editable={editable} title={team.key} />
    </Paper>
  );
}
