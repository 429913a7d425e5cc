import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Anchor, Badge, Button, Group, Paper, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { AlertView } from '../api/types';
import { fieldError } from '../api/problem';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import { ago } from '../components/time';
import { useEnvironments } from '../projects/useProjects';
import { canEdit, useSession } from '../session/useSession';
import { useAlertAction, useAlerts } from './useAlerts';
import { useFilterParams } from '../components/filterParams';

const STATUS_COLORS: Record<string, string> = { OPEN: 'red', ACKNOWLEDGED: 'yellow', RESOLVED: 'gray' };
const KIND_LABELS: Record<string, string> = { GUARDRAIL: 'guardrail', SRM: 'sample ratio mismatch', NO_TRAFFIC: 'no traffic' };

/** What Dimmer found wrong with a project's flags: guardrail breaches, sample ratio mismatches, flags with no traffic. */
export default function AlertsPage() {
  const { project = '' } = useParams();
  const [params, set] = useFilterParams();
  const { session } = useSession();
  const { environments } = useEnvironments(project);
  const filters = {
    environment: params.get('env') ?? '',
    flag: params.get('flag') ?? '',
    status: params.get('status') ?? 'OPEN',
    kind: params.get('kind') ?? 'ALL',
  };
  const { alerts, loading, error } = useAlerts(project, filters);
  const editable = canEdit(session, project);
  return (
    <Stack>
      <Title order={1} size="h2">
        Alerts
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Status"
          data={[
            { value: 'OPEN', label: 'Open' },
            { value: 'ACKNOWLEDGED', label: 'Acknowledged' },
            { value: 'RESOLVED', label: 'Resolved' },
            { value: 'ALL', label: 'All' },
          ]}
          value={filters.status}
          onChange={(v) => set('status', v)}
          allowDeselect={false}
          w={{ base: '100%', xs: 160 }}
        />
        <Select
          label="Kind"
          data={[
            { value: 'ALL', label: 'All kinds' },
            { value: 'GUARDRAIL', label: 'Guardrail' },
            { value: 'SRM', label: 'Sample ratio mismatch' },
            { value: 'NO_TRAFFIC', label: 'No traffic' },
          ]}
          value={filters.kind}
          onChange={(v) => set('kind', v)}
          allowDeselect={false}
          w={{ base: '100%', xs: 200 }}
        />
        <Select
          label="Environment"
          placeholder="All"
          clearable
          data={environments.filter((e) => !e.archived).map((e) => ({ value: e.key, label: e.name || e.key }))}
          value={filters.environment || null}
          onChange={(v) => set('env', v)}
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput label="Flag" placeholder="flag key" value={filters.flag} onChange={(e) => set('flag', e.currentTarget.value)} w={{ base: '100%', xs: 180 }} />
      </Group>
      <ProblemAlert error={error} />
      {loading ? (
        <Loading />
      ) : alerts.length === 0 ? (
        <Empty title="No alerts match">Dimmer opens an alert when a guardrail is significantly worse, the arms show a sample ratio mismatch, or a served flag gets no impressions.</Empty>
      ) : (
        alerts.map((a) => <AlertCard key={a.id} alert={a} project={project} editable={editable} />)
      )}
    </Stack>
  );
}

function AlertCard({ alert, project, editable }: { alert: AlertView; project: string; editable: boolean }) {
  const [acting, setActing] = useState<'ack' | 'resolve' | null>(null);
  const [comment, setComment] = useState('');
  const action = useAlertAction(project);
  const open = alert.status !== 'RESOLVED';
  return (
    <Paper withBorder p="sm" component="article" aria-label={`Alert ${alert.id}: ${alert.flag} ${KIND_LABELS[alert.kind] ?? alert.kind}`}>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Badge color={STATUS_COLORS[alert.status] ?? 'gray'}>{alert.status.toLowerCase()}</Badge>
          <Badge variant="outline">{KIND_LABELS[alert.kind] ?? alert.kind}</Badge>
          {alert.metric && <Badge variant="light">{alert.metric}</Badge>}
          {alert.action && (
            <Badge color="red" variant="filled" title={alert.actionAt ? `at ${alert.actionAt}` : undefined}>
              {alert.action.toLowerCase()}
              {alert.actionBy ? ` by ${alert.actionBy}` : ''}
            </Badge>
          )}
          <Anchor component={Link} to={`/projects/${project}/flags/${alert.flag}/${alert.environment}/report`} size="sm">
            {alert.flag} in {alert.environment}
          </Anchor>
          <Text size="xs" c="dimmed">
            opened {ago(alert.openedAt)} · updated {ago(alert.updatedAt)}
            {alert.ownerTeam ? ` · team ${alert.ownerTeam}` : ''}
          </Text>
        </Group>
        <Text size="sm">{alert.summary}</Text>
        {alert.acknowledgedBy && (
          <Text size="xs" c="dimmed">
            acknowledged by {alert.acknowledgedBy}
            {alert.comment ? `: “${alert.comment}”` : ''}
          </Text>
        )}
        {alert.resolvedBy && (
          <Text size="xs" c="dimmed">
            resolved by {alert.resolvedBy}
          </Text>
        )}
        {editable && open && acting === null && (
          <Group gap="xs">
            {alert.status === 'OPEN' && (
              <Button size="xs" variant="default" onClick={() => setActing('ack')}>
                Acknowledge
              </Button>
            )}
            <Button size="xs" variant="default" onClick={() => setActing('resolve')}>
              Resolve
            </Button>
          </Group>
        )}
        {acting !== null && (
          <Stack gap={6}>
            <Textarea
              label={acting === 'ack' ? 'Acknowledge: what are you doing about it?' : 'Resolve: why is it over?'}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              error={fieldError(action.error, '/comment')}
              rows={2}
            />
            <FormProblem error={action.error} />
            <Group gap="xs">
              <Button
                size="xs"
                loading={action.isPending}
                onClick={() =>
                  action.mutate(
                    { id: alert.id, action: acting, comment },
                    {
                      onSuccess: () => {
                        setActing(null);
                        setComment('');
                      },
                    },
                  )
                }
              >
                {acting === 'ack' ? 'Acknowledge alert' : 'Resolve alert'}
              </Button>
              <Button size="xs" variant="subtle" onClick={() => setActing(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
