import { useParams } from 'react-router';
import { Badge, Button, Group, Paper, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { Empty, Loading, ProblemAlert } from '../components/States';
import { ago } from '../components/time';
import { canEdit, useSession } from '../session/useSession';
import { useTeams } from '../teams/useTeams';
import DeliveryLog from './DeliveryLog';
import { useNotifications, useRedeliver } from './useNotifications';
import { useFilterParams } from '../components/filterParams';

/** What was sent to whom and whether it arrived: each notification with its attempts; dead ones can be redelivered. */
export default function NotificationsPage() {
  const { project = '' } = useParams();
  const [params, set] = useFilterParams();
  const { session } = useSession();
  const { teams } = useTeams(project);
  const filters = { status: params.get('status') ?? '', team: params.get('team') ?? '', kind: params.get('kind') ?? '', flag: params.get('flag') ?? '' };
  const { notifications, loading, error } = useNotifications(project, filters);
  const redeliver = useRedeliver(project);
  const editable = canEdit(session, project);
  return (
    <Stack>
      <Title order={1} size="h2">
        Notifications
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Status"
          placeholder="All"
          clearable
          data={[
            { value: 'pending', label: 'Pending' },
            { value: 'sent', label: 'Sent' },
            { value: 'dead', label: 'Dead' },
          ]}
          value={filters.status || null}
          onChange={(v) => set('status', v)}
          w={{ base: '100%', xs: 150 }}
        />
        <Select
          label="Team"
          placeholder="All"
          clearable
          data={teams.map((t) => ({ value: t.key, label: t.name || t.key }))}
          value={filters.team || null}
          onChange={(v) => set('team', v)}
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput label="Kind" placeholder="e.g. plan, test" value={filters.kind} onChange={(e) => set('kind', e.currentTarget.value)} w={{ base: '100%', xs: 150 }} />
        <TextInput label="Flag" placeholder="flag key" value={filters.flag} onChange={(e) => set('flag', e.currentTarget.value)} w={{ base: '100%', xs: 180 }} />
      </Group>
      <ProblemAlert error={error ?? redeliver.error} />
      {loading ? (
        <Loading />
      ) : notifications.length === 0 ? (
        <Empty title="No notifications match">Channels are set up under Teams and channels; "Send test" makes one.</Empty>
      ) : (
        notifications.map((n) => (
          <Paper key={n.id} withBorder p="sm" component="article" aria-label={`Notification ${n.id}`}>
            <Group justify="space-between" align="flex-start" wrap="wrap">
              <div>
                <Group gap="xs">
                  <Text fw={600} size="sm">
                    {n.title || n.kind}
                  </Text>
                  <Badge variant="outline" size="sm">
                    {n.kind}
                  </Badge>
                </Group>
                <Text size="xs" c="dimmed" title={n.createdAt}>
                  {ago(n.createdAt)} · to {n.team ? `${n.team}/` : ''}
                  {n.channel} ({n.channelKind}){n.flag ? ` · flag ${n.flag}` : ''}
                  {n.environment ? ` in ${n.environment}` : ''}
                </Text>
              </div>
              {editable && n.status !== 'pending' && (
                <Button
                  size="compact-sm"
                  variant={n.status === 'dead' ? 'filled' : 'default'}
                  loading={redeliver.isPending && redeliver.variables === n.id}
                  onClick={() => redeliver.mutate(n.id)}
                  aria-label={`Redeliver notification ${n.id}`}
                >
                  Redeliver
                </Button>
              )}
            </Group>
            <DeliveryLog notification={n} />
          </Paper>
        ))
      )}
    </Stack>
  );
}
