import { useState } from 'react';
import { useParams } from 'react-router';
import { Badge, Button, Checkbox, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { fieldError } from '../api/problem';
import type { MetricRequest } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import { canEdit, useSession } from '../session/useSession';
import { useCreateMetric, useMetrics } from './useMetrics';

/** Metric definitions: success metrics a flag chooses, guardrails every flag is checked against. */
export default function MetricsPage() {
  const { project = '' } = useParams();
  const { session } = useSession();
  const { metrics, loading, error } = useMetrics(project);
  const [open, setOpen] = useState(false);
  if (loading) return <Loading />;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Metrics
        </Title>
        {canEdit(session, project) && <Button onClick={() => setOpen(true)}>New metric</Button>}
      </Group>
      <ProblemAlert error={error} />
      {metrics.length === 0 ? (
        <Empty title="No metrics yet">Define what success looks like, and guardrails such as errors or latency.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label="Metrics">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Metric</Table.Th>
                <Table.Th>Event type</Table.Th>
                <Table.Th>Aggregation</Table.Th>
                <Table.Th>Better when</Table.Th>
                <Table.Th>Guardrail</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {metrics.map((m) => (
                <Table.Tr key={m.key}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {m.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {m.key}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <code>{m.eventType}</code>
                  </Table.Td>
                  <Table.Td>
                    {m.aggregation}
                    {m.cuped ? ' · CUPED' : ''}
                  </Table.Td>
                  <Table.Td>{m.direction === 'INCREASE' ? 'higher' : 'lower'}</Table.Td>
                  <Table.Td>
                    {m.guardrail ? (
                      <Badge color="grape" variant="light">
                        margin {(m.margin * 100).toFixed(1)}%{m.killThreshold != null ? ` · kill at ${(m.killThreshold * 100).toFixed(0)}%` : ''}
                      </Badge>
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
      <CreateMetricModal project={project} opened={open} onClose={() => setOpen(false)} />
    </Stack>
  );
}

function CreateMetricModal({ project, opened, onClose }: { project: string; opened: boolean; onClose: () => void }) {
  const create = useCreateMetric(project);
  const [form, setForm] = useState<MetricRequest>({ aggregation: 'CONVERSION', direction: 'INCREASE', guardrail: false, margin: 0.02 });
  const set = (patch: Partial<MetricRequest>) => setForm({ ...form, ...patch });
  const e = (pointer: string) => fieldError(create.error, pointer);
  return (
    <Modal opened={opened} onClose={onClose} title="New metric">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(form, { onSuccess: () => (onClose(), create.reset()) });
        }}
      >
        <Stack gap="xs">
          <TextInput label="Key" required value={form.key ?? ''} onChange={(x) => set({ key: x.currentTarget.value })} error={e('/key')} />
          <TextInput label="Name" required value={form.name ?? ''} onChange={(x) => set({ name: x.currentTarget.value })} error={e('/name')} />
          <TextInput
            label="Event type"
            required
            value={form.eventType ?? ''}
            onChange={(x) => set({ eventType: x.currentTarget.value })}
            error={e('/eventType')}
          />
          <Select
            label="Aggregation"
            data={['COUNT', 'SUM', 'CONVERSION', 'AVERAGE']}
            value={form.aggregation ?? null}
            onChange={(aggregation) => aggregation && set({ aggregation })}
            error={e('/aggregation')}
            allowDeselect={false}
          />
          <Select
            label="Better when"
            data={[
              { value: 'INCREASE', label: 'it goes up' },
              { value: 'DECREASE', label: 'it goes down' },
            ]}
            value={form.direction ?? null}
            onChange={(direction) => direction && set({ direction })}
            error={e('/direction')}
            allowDeselect={false}
          />
          <Checkbox label="Guardrail (checked for every flag)" checked={!!form.guardrail} onChange={(x) => set({ guardrail: x.currentTarget.checked })} />
          {form.guardrail && (
            <Group grow>
              <NumberInput
                label="Margin (relative)"
                value={form.margin ?? 0}
                onChange={(v) => set({ margin: Number(v) })}
                step={0.01}
                decimalScale={3}
                error={e('/margin')}
              />
              <NumberInput
                label="Kill threshold (relative)"
                value={form.killThreshold ?? ''}
                onChange={(v) => set({ killThreshold: v === '' ? undefined : Number(v) })}
                step={0.05}
                decimalScale={3}
                error={e('/killThreshold')}
              />
            </Group>
          )}
          <Checkbox label="CUPED variance reduction" checked={!!form.cuped} onChange={(x) => set({ cuped: x.currentTarget.checked })} />
          {e('/cuped') && (
            <Text c="red" size="xs">
              {e('/cuped')}
            </Text>
          )}
          <FormProblem error={create.error} />
          <Button type="submit" loading={create.isPending}>
            Create metric
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
