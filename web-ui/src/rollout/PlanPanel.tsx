import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Group, Paper, Select, Stack, Table, Text, TextInput, Timeline, Title } from '@mantine/core';
import { localErrors, mergeErrors, fieldError } from '../api/problem';
import type { FlagView, PlanView, StageRequest, StageView } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import { ago } from '../components/time';
import { useSegments } from '../segments/useSegments';
import StageEditor, { localStageProblems } from './StageEditor';
import { allowedActions, usePlan, usePlanAction, useDefinePlan, type PlanAction } from './usePlan';

const STATUS_COLOR: Record<PlanView['status'], string> = {
  DRAFT: 'gray',
  ACTIVE: 'blue',
  PAUSED: 'yellow',
  HALTED: 'red',
  COMPLETED: 'green',
  ABORTED: 'gray',
};

export function PlanStatusBadge({ status }: { status: PlanView['status'] }) {
  return <Badge color={STATUS_COLOR[status]}>{status.toLowerCase()}</Badge>;
}

/** "5 %", "employees + 1 %": who a stage serves the treatment to. */
export function placement(stage: Pick<StageView, 'segments' | 'weight'>): string {
  const parts = [...(stage.segments ?? [])];
  if (stage.weight) parts.push(`${stage.weight / 100} %`);
  return parts.length ? parts.join(' + ') : 'nobody new';
}

/** The flag's rollout plan in one environment: where it is, its history, the actions a person can take, its editor. */
export default function PlanPanel({ project, environment, flag, editable }: { project: string; environment: string; flag: FlagView; editable: boolean }) {
  const at = { project, environment, flag: flag.key };
  const { current, loading, error } = usePlan(at);
  const [editing, setEditing] = useState(false);
  if (loading) return <Loading label="Loading the rollout plan" />;
  if (error) return <ProblemAlert error={error} />;
  const plan = current?.plan ?? null;
  const canDefine = editable && (!plan || ['DRAFT', 'COMPLETED', 'ABORTED'].includes(plan.status));
  return (
    <Stack gap="md">
      {!plan && !editing && (
        <Empty title="No rollout plan in this environment">
          A plan ramps the flag through stages (segments, then percentages) and moves on only while its guardrails stay healthy.
        </Empty>
      )}
      {plan && !editing && <PlanSummary plan={plan} editable={editable} at={at} />}
      {canDefine && !editing && (
        <Group>
          <Button onClick={() => setEditing(true)}>{!plan ? 'Define a plan' : plan.status === 'DRAFT' ? 'Edit the draft' : 'Define a new plan'}</Button>
        </Group>
      )}
      {editing && (
        <PlanForm
          at={at}
          treatments={flag.treatments.map((t) => t.name)}
          draft={plan?.status === 'DRAFT' ? plan : null}
          etag={plan?.status === 'DRAFT' ? current?.etag : undefined}
          onDone={() => setEditing(false)}
        />
      )}
    </Stack>
  );
}

function PlanSummary({ plan, editable, at }: { plan: PlanView; editable: boolean; at: { project: string; environment: string; flag: string } }) {
  return (
    <Stack gap="md">
      <Paper withBorder p="sm">
        <Group gap="sm" wrap="wrap">
          <Title order={2} size="h4">
            Plan {plan.id}
          </Title>
          <PlanStatusBadge status={plan.status} />
          {plan.awaitingApproval && <Badge color="orange">awaiting approval</Badge>}
        </Group>
        <Text size="sm" mt={4}>
          Serves <b>{plan.treatment}</b> against <b>{plan.control}</b> · on a breach: {plan.onBreach === 'KILL' ? 'kill the flag' : 'roll back a stage'}
          {plan.requireNonInferiority ? ' · every guardrail must be shown healthy' : ''}
        </Text>
        {plan.status !== 'DRAFT' && plan.currentStage >= 0 && plan.currentStage < plan.stages.length && (
          <Text size="sm">
            At stage {plan.currentStage + 1}/{plan.stages.length} “{plan.stages[plan.currentStage].name}”
            {plan.stageStartedAt ? ` since ${new Date(plan.stageStartedAt).toLocaleString()}` : ''}
          </Text>
        )}
        {plan.statusReason && (
          <Text size="sm" c="dimmed">
            {plan.statusReason}
          </Text>
        )}
        {plan.gate && (
          <Text size="sm" component="div" data-testid="plan-gate">
            Next check: <Badge size="sm" variant="light">{plan.gate.state}</Badge> {plan.gate.reason}
          </Text>
        )}
      </Paper>
      <StageTable plan={plan} />
      {editable && allowedActions(plan).length > 0 && <PlanActions plan={plan} at={at} />}
      <Transitions plan={plan} />
    </Stack>
  );
}

function StageTable({ plan }: { plan: PlanView }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped aria-label="Stages">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Serves the treatment to</Table.Th>
            <Table.Th>At least</Table.Th>
            <Table.Th>Sample per arm</Table.Th>
            <Table.Th>Approval</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {plan.stages.map((s) => {
            const current = plan.status !== 'DRAFT' && s.index === plan.currentStage;
            return (
              <Table.Tr key={s.index} aria-current={current ? 'step' : undefined} fw={current ? 700 : undefined}>
                <Table.Td>{s.index + 1}</Table.Td>
                <Table.Td>
                  {s.name} {current && <Badge size="xs">current</Badge>}
                </Table.Td>
                <Table.Td>{placement(s)}</Table.Td>
                <Table.Td>{s.minDuration}</Table.Td>
                <Table.Td>{s.minSamplePerArm || '—'}</Table.Td>
                <Table.Td>{s.requiresApproval ? (s.approved ? 'approved' : 'required') : '—'}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

const ACTION_LABEL: Record<PlanAction, string> = {
  start: 'Start',
  approve: 'Approve',
  pause: 'Pause',
  resume: 'Resume',
  skip: 'Skip to stage',
  abort: 'Abort',
};

function PlanActions({ plan, at }: { plan: PlanView; at: { project: string; environment: string; flag: string } }) {
  const act = usePlanAction(at);
  const [comment, setComment] = useState('');
  const [stage, setStage] = useState<string | null>(null);
  const actions = allowedActions(plan);
  const takesStage = actions.includes('approve') || actions.includes('skip');
  return (
    <Paper withBorder p="sm" component="section" aria-label="Plan actions">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput label="Comment (kept in the history)" value={comment} onChange={(e) => setComment(e.currentTarget.value)} w={{ base: '100%', xs: 260 }} />
        {takesStage && (
          <Select
            label="Stage to approve or skip to"
            placeholder="the next one"
            clearable
            data={plan.stages.map((s) => ({ value: String(s.index), label: `${s.index + 1}. ${s.name}` }))}
            value={stage}
            onChange={setStage}
            error={fieldError(act.error, '/stage') ?? fieldError(act.error, '/toStage')}
            w={{ base: '100%', xs: 220 }}
          />
        )}
        {actions.map((action) => (
          <Button
            key={action}
            variant={action === 'abort' ? 'light' : 'filled'}
            color={action === 'abort' ? 'red' : undefined}
            loading={act.isPending && act.variables?.action === action}
            onClick={() =>
              act.mutate(
                { action, comment, stage: stage === null || !['approve', 'skip'].includes(action) ? undefined : Number(stage) },
                { onSuccess: () => (setComment(''), setStage(null)) },
              )
            }
          >
            {ACTION_LABEL[action]}
          </Button>
        ))}
      </Group>
      <FormProblem error={act.error} />
    </Paper>
  );
}

function Transitions({ plan }: { plan: PlanView }) {
  if (plan.transitions.length === 0) return null;
  return (
    <section aria-label="Plan history">
      <Title order={2} size="h4" mb="xs">
        History
      </Title>
      <Timeline bulletSize={14} lineWidth={2}>
        {[...plan.transitions].reverse().map((t, i) => (
          <Timeline.Item key={i} title={`${t.kind.toLowerCase().replace('_', ' ')} · ${t.fromStage < 0 || t.fromStage === t.toStage ? `stage ${t.toStage + 1}` : `stage ${t.fromStage + 1} → ${t.toStage + 1}`}${t.stageName ? ` “${t.stageName}”` : ''}`}>
            <Text size="xs" c="dimmed" title={t.at}>
              {ago(t.at)} by {t.actor}
              {t.configurationVersion ? ` · configuration v${t.configurationVersion}` : ''}
            </Text>
            {t.reason && <Text size="sm">{t.reason}</Text>}
          </Timeline.Item>
        ))}
      </Timeline>
    </section>
  );
}

function toRequest(stage: StageView): StageRequest {
  return {
    name: stage.name,
    segments: stage.segments,
    weight: stage.weight,
    minDuration: stage.minDuration,
    minSamplePerArm: stage.minSamplePerArm,
    requiresApproval: stage.requiresApproval,
  };
}

const STARTER: StageRequest[] = [
  { name: '1%', segments: [], weight: 100, minDuration: 'PT4H', minSamplePerArm: 100, requiresApproval: false },
  { name: '100%', segments: [], weight: 10000, minDuration: 'PT0S', requiresApproval: true },
];

function PlanForm({
  at,
  treatments,
  draft,
  etag,
  onDone,
}: {
  at: { project: string; environment: string; flag: string };
  treatments: string[];
  draft: PlanView | null;
  etag?: string;
  onDone: () => void;
}) {
  const define = useDefinePlan(at);
  const { segments } = useSegments(at.project, at.environment);
  const [treatment, setTreatment] = useState(draft?.treatment ?? (treatments.includes('on') ? 'on' : treatments[0] ?? ''));
  const [control, setControl] = useState<string | null>(draft?.control ?? null);
  const [onBreach, setOnBreach] = useState<string>(draft?.onBreach ?? 'ROLLBACK');
  const [nonInferiority, setNonInferiority] = useState(draft?.requireNonInferiority ?? false);
  const [stages, setStages] = useState<StageRequest[]>(draft ? draft.stages.map(toRequest) : STARTER);
  const local = localErrors(localStageProblems(stages));
  const errors = mergeErrors(define.error, local);
  return (
    <form
      aria-label="Rollout plan"
      onSubmit={(e) => {
        e.preventDefault();
        if (local) return;
        define.mutate(
          { body: { treatment, control: control ?? undefined, onBreach, requireNonInferiority: nonInferiority, stages }, etag },
          { onSuccess: onDone },
        );
      }}
    >
      <Stack gap="sm">
        <Title order={2} size="h4">
          {draft ? 'Edit the draft plan' : 'New rollout plan'}
        </Title>
        <Group align="flex-start" gap="sm" wrap="wrap">
          <Select label="Treatment to roll out" data={treatments} value={treatment} onChange={(v) => v && setTreatment(v)} allowDeselect={false} error={fieldError(errors, '/treatment')} w={{ base: '100%', xs: 180 }} />
          <Select
            label="Control"
            placeholder="the off treatment"
            clearable
            data={treatments}
            value={control}
            onChange={setControl}
            error={fieldError(errors, '/control')}
            w={{ base: '100%', xs: 180 }}
          />
          <Select
            label="On a guardrail breach"
            data={[
              { value: 'ROLLBACK', label: 'Roll back a stage' },
              { value: 'KILL', label: 'Kill the flag' },
            ]}
            value={onBreach}
            onChange={(v) => v && setOnBreach(v)}
            allowDeselect={false}
            error={fieldError(errors, '/onBreach')}
            w={{ base: '100%', xs: 200 }}
          />
          <Checkbox
            mt={{ base: 0, xs: 30 }}
            label="Require every guardrail shown healthy"
            checked={nonInferiority}
            onChange={(e) => setNonInferiority(e.currentTarget.checked)}
          />
        </Group>
        <StageEditor stages={stages} onChange={setStages} segments={segments.map((s) => s.key)} errors={errors} />
        {define.error && (define.error as { isConflict?: boolean }).isConflict && (
          <Alert color="orange" title="Changed by someone else since you opened it">
            Reload the plan and edit again.
          </Alert>
        )}
        <FormProblem error={define.error} />
        <Group>
          <Button type="submit" loading={define.isPending} disabled={!!local}>
            Save plan
          </Button>
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
