import { useState } from 'react';
import { Badge, Button, Group, MultiSelect, Paper, Select, Stack, Text, Title } from '@mantine/core';
import type { FlagView } from '../api/types';
import { fieldError } from '../api/problem';
import { Loading, ProblemAlert } from '../components/States';
import { useFlagMetrics, useMetrics, useSetFlagMetrics } from './useMetrics';

/** The metrics a flag is judged by: its success metrics (chosen) and the guardrails (applied to every flag). */
export default function FlagMetricsPanel({ project, flag, editable }: { project: string; flag: FlagView; editable: boolean }) {
  const { flagMetrics, loading, error } = useFlagMetrics(project, flag.key);
  const { metrics } = useMetrics(project);
  const set = useSetFlagMetrics(project, flag.key);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [control, setControl] = useState<string | null | undefined>(undefined);
  if (loading) return <Loading />;
  if (error || !flagMetrics) return <ProblemAlert error={error} />;
  const success = chosen ?? flagMetrics.successMetrics.map((m) => m.key);
  const controlTreatment = control === undefined ? flagMetrics.controlTreatment : control;
  const dirty = chosen !== null || control !== undefined;
  return (
    <Stack gap="md">
      <Paper withBorder p="sm" component="section" aria-label="Success metrics">
        <Stack gap="xs">
          <Title order={3} size="h5">
            Success metrics
          </Title>
          <MultiSelect
            label="What this flag should improve"
            data={metrics.filter((m) => !m.guardrail && !m.archived).map((m) => ({ value: m.key, label: m.name || m.key }))}
            value={success}
            onChange={setChosen}
            disabled={!editable}
            error={fieldError(set.error, '/successMetrics')}
            searchable
          />
          <Select
            label="Control treatment"
            description="Every other treatment is compared with it (default: the off treatment)"
            data={flag.treatments.map((t) => t.name)}
            value={controlTreatment ?? null}
            onChange={setControl}
            disabled={!editable}
            clearable
            error={fieldError(set.error, '/controlTreatment')}
            w={240}
          />
          {flagMetrics.successMetrics.map((m) => (
            <Text key={m.key} size="xs" c="dimmed">
              {m.key} attached {new Date(m.addedAt).toLocaleString()}
            </Text>
          ))}
          {set.error != null && !fieldError(set.error, '/successMetrics') && <ProblemAlert error={set.error} />}
          {editable && dirty && (
            <Group>
              <Button
                onClick={() =>
                  set.mutate(
                    { successMetrics: success, controlTreatment: controlTreatment ?? undefined },
                    { onSuccess: () => (setChosen(null), setControl(undefined)) },
                  )
                }
                loading={set.isPending}
              >
                Save metrics
              </Button>
            </Group>
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="sm" component="section" aria-label="Guardrails">
        <Title order={3} size="h5">
          Guardrails
        </Title>
        <Text size="xs" c="dimmed" mb="xs">
          Watched for every flag with exposure, without anyone asking.
        </Text>
        <Group gap="xs">
          {flagMetrics.guardrails.length === 0 ? (
            <Text size="sm">No guardrail metric in this project yet.</Text>
          ) : (
            flagMetrics.guardrails.map((g) => (
              <Badge key={g} color="grape" variant="light">
                {g}
              </Badge>
            ))
          )}
        </Group>
      </Paper>
    </Stack>
  );
}
