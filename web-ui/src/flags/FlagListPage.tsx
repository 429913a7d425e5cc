import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Anchor, Badge, Button, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Empty, Loading, ProblemAlert } from '../components/States';
import { ago } from '../components/time';
import { canEdit, useSession } from '../session/useSession';
import { useFlagSummaries } from './useFlags';
import { StateBadge } from './TargetingPanel';
import CreateFlagModal from './CreateFlagModal';
import { useFilterParams } from '../components/filterParams';

const KINDS = ['release', 'experiment', 'ops', 'permission'];

/** Every flag of a project with its state in each environment and its last change; filters live in the address. */
export default function FlagListPage() {
  const { project = '' } = useParams();
  const { session } = useSession();
  const [params, set] = useFilterParams({ replace: true });
  const [creating, setCreating] = useState(false);
  const filters = {
    q: params.get('q') ?? '',
    tag: params.get('tag') ?? '',
    owner: params.get('owner') ?? '',
    kind: params.get('kind') ?? '',
    status: params.get('status') ?? 'active',
  };
  const [debounced] = useDebouncedValue(filters, 250);
  const { summaries, loading, error } = useFlagSummaries(project, debounced);
  const environments = [...new Set(summaries.flatMap((s) => s.environments.map((e) => e.environment)))];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Flags
        </Title>
        {canEdit(session, project) && <Button onClick={() => setCreating(true)}>New flag</Button>}
      </Group>
      <Group wrap="wrap" gap="sm" role="search" aria-label="Filter flags">
        <TextInput label="Search" placeholder="key or description" value={filters.q} onChange={(e) => set('q', e.currentTarget.value)} w={220} />
        <TextInput label="Tag" value={filters.tag} onChange={(e) => set('tag', e.currentTarget.value)} w={120} />
        <TextInput label="Owner team" value={filters.owner} onChange={(e) => set('owner', e.currentTarget.value)} w={140} />
        <Select label="Kind" data={KINDS} value={filters.kind || null} onChange={(v) => set('kind', v)} clearable w={140} />
        <Select
          label="Status"
          data={[
            { value: 'active', label: 'active' },
            { value: 'archived', label: 'archived' },
            { value: 'all', label: 'all' },
          ]}
          value={filters.status}
          onChange={(v) => set('status', v === 'active' ? null : v)}
          allowDeselect={false}
          w={120}
        />
      </Group>
      <ProblemAlert error={error} />
      {loading ? (
        <Loading label="Loading flags" />
      ) : summaries.length === 0 ? (
        <Empty title="No flags match">{filters.q || filters.tag || filters.owner || filters.kind ? 'Try other filters.' : 'Create the first flag of this project.'}</Empty>
      ) : (
        <Table.ScrollContainer minWidth={720}>
          <Table striped highlightOnHover aria-label="Flags">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Flag</Table.Th>
                <Table.Th>Kind</Table.Th>
                {environments.map((env) => (
                  <Table.Th key={env}>{env}</Table.Th>
                ))}
                <Table.Th>Last change</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {summaries.map(({ flag, environments: states, lastChange }) => (
                <Table.Tr key={flag.key}>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${project}/flags/${flag.key}`} fw={600}>
                      {flag.key}
                    </Anchor>
                    <Text size="xs" c="dimmed" lineClamp={1}>
                      {flag.description}
                    </Text>
                    <Group gap={4} mt={2}>
                      {flag.ownerTeam && (
                        <Badge size="xs" variant="outline">
                          {flag.ownerTeam}
                        </Badge>
                      )}
                      {flag.tags.map((t) => (
                        <Badge key={t} size="xs" variant="light" color="gray">
                          {t}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{flag.kind}</Table.Td>
                  {environments.map((env) => {
                    const state = states.find((s) => s.environment === env);
                    return (
                      <Table.Td key={env} aria-label={`${flag.key} in ${env}`}>
                        {state ? (
                          <Anchor component={Link} to={`/projects/${project}/flags/${flag.key}/${env}/targeting`} underline="never">
                            <StateBadge enabled={state.enabled} killed={state.killed} />
                          </Anchor>
                        ) : (
                          '—'
                        )}
                      </Table.Td>
                    );
                  })}
                  <Table.Td>
                    {lastChange ? (
                      <Text size="xs">
                        {lastChange.action}
                        {lastChange.environment ? ` in ${lastChange.environment}` : ''}{' '}
                        <time dateTime={lastChange.at} title={new Date(lastChange.at).toLocaleString()}>
                          {ago(lastChange.at)}
                        </time>
                        <br />
                        <Text span size="xs" c="dimmed">
                          by {lastChange.actor}
                        </Text>
                      </Text>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CreateFlagModal project={project} opened={creating} onClose={() => setCreating(false)} />
    </Stack>
  );
}
