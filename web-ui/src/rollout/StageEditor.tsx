import { ActionIcon, Button, Checkbox, Group, MultiSelect, NumberInput, Paper, Stack, Text, TextInput } from '@mantine/core';
import { fieldError, type FieldErrors } from '../api/problem';
import type { StageRequest } from '../api/types';

/** ISO-8601 durations as the server's java.time.Duration reads them (PT30M, P1D, P1DT12H). */
const DURATION = /^P(?=\d|T\d)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/i;

/** The stage a plan gets when "Add stage" is pressed: one step up from the last one. */
export function nextStage(stages: StageRequest[]): StageRequest {
  const last = [...stages].reverse().find((s) => s.weight !== undefined)?.weight ?? 0;
  const weight = last >= 5000 ? 10000 : last === 0 ? 100 : Math.min(5000, last * 2);
  return { name: '', segments: [], weight, minDuration: weight === 10000 ? 'PT0S' : 'PT1H', requiresApproval: false };
}

/**
 * What the server would refuse, found before saving, with the server's pointers (`/stages/2/minDuration`): durations,
 * weights in basis points (0–5000, or 10000 for the last stage), weights never going down, every stage exposing someone.
 */
export function localStageProblems(stages: StageRequest[]): FieldErrors {
  const errors: FieldErrors = {};
  if (stages.length === 0) errors['/stages'] = 'add at least one stage';
  let previous = 0;
  stages.forEach((stage, i) => {
    const at = `/stages/${i}`;
    if (stage.minDuration && !DURATION.test(stage.minDuration.trim()))
      errors[`${at}/minDuration`] = 'an ISO-8601 duration such as PT30M, PT4H or P1D';
    const weight = stage.weight;
    if (weight !== undefined) {
      if (weight < 0 || (weight > 5000 && weight !== 10000)) errors[`${at}/weight`] = 'between 0 % and 50 %, or 100 % (the last stage)';
      else if (weight === 10000 && i !== stages.length - 1) errors[`${at}/weight`] = 'only the last stage can be at 100 %';
      else if (weight < previous) errors[`${at}/weight`] = `never lower than an earlier stage (${previous / 100} %)`;
      previous = Math.max(previous, weight);
    }
    if ((stage.segments ?? []).length === 0 && (weight ?? 0) === 0 && i === 0)
      errors[`${at}/segments`] = 'the first stage needs a segment or a percentage above 0';
    if (stage.minSamplePerArm !== undefined && stage.minSamplePerArm < 0) errors[`${at}/minSamplePerArm`] = 'must be 0 or more';
  });
  return errors;
}

/** Percent shown, basis points kept (the API's unit: 100 = 1 %). */
function toPercent(weight: number | undefined): number | string {
  return weight === undefined ? '' : weight / 100;
}

function toWeight(value: number | string): number | undefined {
  if (value === '' || value === undefined) return undefined;
  return Math.round(Number(value) * 100);
}

/** The ordered stages of a rollout plan: add, remove, reorder, and each stage's placement and gates. */
export default function StageEditor({
  stages,
  onChange,
  segments,
  errors,
}: {
  stages: StageRequest[];
  onChange: (stages: StageRequest[]) => void;
  segments: string[];
  errors: unknown;
}) {
  const update = (index: number, patch: Partial<StageRequest>) => onChange(stages.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const move = (index: number, by: number) => {
    const next = [...stages];
    const [moved] = next.splice(index, 1);
    next.splice(index + by, 0, moved);
    onChange(next);
  };
  const stagesError = fieldError(errors, '/stages');
  return (
    <Stack gap="sm">
      {stages.length === 0 && (
        <Text size="sm" c="dimmed">
          No stages yet.
        </Text>
      )}
      {stagesError && stages.length === 0 && (
        <Text size="sm" c="red" role="alert">
          {stagesError}
        </Text>
      )}
      {stages.map((stage, index) => {
        const n = index + 1;
        const at = `/stages/${index}`;
        return (
          <Paper key={index} withBorder p="sm" component="section" aria-label={`Stage ${n}`}>
            <Group justify="space-between" mb="xs" wrap="nowrap">
              <Text fw={600} size="sm">
                Stage {n}
              </Text>
              <Group gap={4} wrap="nowrap">
                <ActionIcon variant="default" aria-label={`Move stage ${n} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                  <span aria-hidden>↑</span>
                </ActionIcon>
                <ActionIcon variant="default" aria-label={`Move stage ${n} down`} disabled={index === stages.length - 1} onClick={() => move(index, 1)}>
                  <span aria-hidden>↓</span>
                </ActionIcon>
                <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(stages.filter((_, i) => i !== index))} aria-label={`Remove stage ${n}`}>
                  Remove
                </Button>
              </Group>
            </Group>
            <Group align="flex-start" gap="sm" wrap="wrap">
              <TextInput
                label={`Stage ${n} name`}
                placeholder="e.g. employees, 5%"
                value={stage.name ?? ''}
                onChange={(e) => update(index, { name: e.currentTarget.value })}
                error={fieldError(errors, `${at}/name`)}
                w={{ base: '100%', xs: 180 }}
              />
              <MultiSelect
                label={`Stage ${n} segments`}
                placeholder={segments.length ? 'Pick segments' : 'No segments in this environment'}
                data={Array.from(new Set([...segments, ...(stage.segments ?? [])]))}
                value={stage.segments ?? []}
                onChange={(value) => update(index, { segments: value })}
                error={fieldError(errors, `${at}/segments`)}
                searchable
                w={{ base: '100%', xs: 240 }}
              />
              <NumberInput
                label={`Stage ${n} users (%)`}
                description="0–50, or 100 last"
                min={0}
                max={100}
                decimalScale={2}
                suffix=" %"
                value={toPercent(stage.weight)}
                onChange={(value) => update(index, { weight: toWeight(value) })}
                error={fieldError(errors, `${at}/weight`)}
                w={{ base: '100%', xs: 140 }}
              />
              <TextInput
                label={`Stage ${n} minimum duration`}
                description="ISO-8601: PT30M, P1D"
                placeholder="PT1H"
                value={stage.minDuration ?? ''}
                onChange={(e) => update(index, { minDuration: e.currentTarget.value || undefined })}
                error={fieldError(errors, `${at}/minDuration`)}
                w={{ base: '100%', xs: 160 }}
              />
              <NumberInput
                label={`Stage ${n} minimum sample per arm`}
                description="users; 0: no report needed"
                min={0}
                allowDecimal={false}
                value={stage.minSamplePerArm ?? ''}
                onChange={(value) => update(index, { minSamplePerArm: value === '' ? undefined : Number(value) })}
                error={fieldError(errors, `${at}/minSamplePerArm`)}
                w={{ base: '100%', xs: 180 }}
              />
              <Checkbox
                mt={{ base: 0, xs: 30 }}
                label={`Stage ${n} requires approval`}
                checked={stage.requiresApproval ?? false}
                onChange={(e) => update(index, { requiresApproval: e.currentTarget.checked })}
                error={fieldError(errors, `${at}/requiresApproval`)}
              />
            </Group>
          </Paper>
        );
      })}
      <Group>
        <Button variant="light" onClick={() => onChange([...stages, nextStage(stages)])}>
          Add stage
        </Button>
      </Group>
    </Stack>
  );
}
