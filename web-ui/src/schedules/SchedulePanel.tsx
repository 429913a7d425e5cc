import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Paper, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { fieldError, localErrors, mergeErrors, type FieldErrors } from '../api/problem';
import type { ConfigurationUpdate, FlagView, ScheduleRequest } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import { toUpdate, useConfiguration } from '../flags/useConfiguration';
import ScheduleTable from './ScheduleTable';
import { useCancelSchedule, useCreateSchedule, useFlagSchedules } from './useSchedules';

type Located = { project: string; environment: string; flag: string };

/** The flag's scheduled changes in one environment, and (for editors) a form to schedule one. */
export default function SchedulePanel({ project, environment, flag, editable }: { project: string; environment: string; flag: FlagView; editable: boolean }) {
  const at = { project, environment, flag: flag.key };
  const { schedules, loading, error } = useFlagSchedules(at);
  const cancel = useCancelSchedule(project);
  return (
    <Stack gap="md">
      {editable && <ScheduleForm at={at} treatments={flag.treatments.map((t) => t.name)} />}
      <ProblemAlert error={error ?? cancel.error} />
      {loading ? (
        <Loading label="Loading scheduled changes" />
      ) : schedules.length === 0 ? (
        <Empty title="Nothing scheduled">A scheduled change enables, disables or ramps the flag at a time you choose.</Empty>
      ) : (
        <ScheduleTable
          schedules={schedules}
          project={project}
          showFlag={false}
          canCancel={() => editable}
          onCancel={(s) => cancel.mutate(s)}
          cancelling={cancel.isPending ? cancel.variables?.id : undefined}
        />
      )}
    </Stack>
  );
}

/** `datetime-local` speaks the browser's local time; the API takes an instant. */
function toInstant(local: string): string | undefined {
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function ScheduleForm({ at, treatments }: { at: Located; treatments: string[] }) {
  const create = useCreateSchedule(at);
  const { current } = useConfiguration(at);
  const [runAt, setRunAt] = useState('');
  const [action, setAction] = useState<string>('ENABLE');
  const [weight, setWeight] = useState<number | string>(10);
  const [treatment, setTreatment] = useState(treatments.includes('on') ? 'on' : treatments[0] ?? '');
  const [configuration, setConfiguration] = useState('');
  const [comment, setComment] = useState('');

  const local: FieldErrors = {};
  let parsed: ConfigurationUpdate | undefined;
  if (action === 'APPLY') {
    try {
      parsed = JSON.parse(configuration || 'null') ?? undefined;
      if (!parsed || typeof parsed !== 'object') local['/configuration'] = 'the configuration as PUT …/flags/{flag} takes it (a JSON object)';
    } catch (e) {
      local['/configuration'] = `not JSON: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const errors = mergeErrors(create.error, localErrors(local));

  const chooseAction = (value: string) => {
    setAction(value);
    // APPLY starts from the configuration as it is now, for the person to change
    if (value === 'APPLY' && !configuration && current) setConfiguration(JSON.stringify(toUpdate(current.configuration), null, 2));
  };

  const submit = () => {
    if (Object.keys(local).length > 0) return;
    const body: ScheduleRequest = {
      runAt: toInstant(runAt) ?? runAt,
      action,
      comment: comment.trim() || undefined,
      // made against the version the person sees: if anything changes it first, the change fails instead of overwriting
      baseVersion: current?.configuration.version,
    };
    if (action === 'SET_ROLLOUT') Object.assign(body, { weight: Math.round(Number(weight) * 100), treatment });
    if (action === 'APPLY') body.configuration = parsed;
    create.mutate(body, { onSuccess: () => (setRunAt(''), setComment('')) });
  };

  return (
    <Paper withBorder p="sm">
      <form
        aria-label="Schedule a change"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <Title order={2} size="h4">
            Schedule a change
          </Title>
          <Group align="flex-start" gap="sm" wrap="wrap">
            <TextInput
              type="datetime-local"
              label="Runs at (your time)"
              required
              value={runAt}
              onChange={(e) => setRunAt(e.currentTarget.value)}
              error={fieldError(errors, '/runAt')}
              w={{ base: '100%', xs: 230 }}
            />
            <Select
              label="Change"
              data={[
                { value: 'ENABLE', label: 'Enable' },
                { value: 'DISABLE', label: 'Disable' },
                { value: 'SET_ROLLOUT', label: 'Set rollout percentage' },
                { value: 'APPLY', label: 'Apply a configuration' },
              ]}
              value={action}
              onChange={(v) => v && chooseAction(v)}
              allowDeselect={false}
              error={fieldError(errors, '/action')}
              w={{ base: '100%', xs: 220 }}
            />
            {action === 'SET_ROLLOUT' && (
              <>
                <NumberInput
                  label="Users (%)"
                  min={0}
                  max={100}
                  decimalScale={2}
                  suffix=" %"
                  value={weight}
                  onChange={setWeight}
                  error={fieldError(errors, '/weight')}
                  w={{ base: '100%', xs: 120 }}
                />
                <Select
                  label="Treatment"
                  data={treatments}
                  value={treatment}
                  onChange={(v) => v && setTreatment(v)}
                  allowDeselect={false}
                  error={fieldError(errors, '/treatment')}
                  w={{ base: '100%', xs: 150 }}
                />
              </>
            )}
            <TextInput label="Comment" value={comment} onChange={(e) => setComment(e.currentTarget.value)} error={fieldError(errors, '/comment')} w={{ base: '100%', xs: 240 }} />
          </Group>
          {action === 'APPLY' && (
            <Textarea
              label="Configuration (JSON)"
              description="As PUT …/flags/{flag} takes it; checked now and again when it runs."
              autosize
              minRows={6}
              maxRows={20}
              styles={{ input: { fontFamily: 'monospace' } }}
              value={configuration}
              onChange={(e) => setConfiguration(e.currentTarget.value)}
              error={fieldError(errors, '/configuration')}
            />
          )}
          {create.error && (create.error as { isConflict?: boolean }).isConflict && (
            <Alert color="orange" title="Changed by someone else since you opened it">
              The flag changed since this page read it; reload and schedule against what it is now.
            </Alert>
          )}
          <FormProblem error={create.error} />
          <Group>
            <Button type="submit" loading={create.isPending}>
              Schedule
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
