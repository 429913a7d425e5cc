import { useCallback, useMemo, useState } from 'react';
import { Alert, Badge, Button, Grid, Group, Paper, Select, Slider, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { ConfigurationUpdate, FlagSummary, FlagView, Rule, Serve } from '../api/types';
import { asApiError, fieldError, localErrors, mergeErrors, rebase, type FieldErrors } from '../api/problem';
import { ProblemAlert, Loading } from '../components/States';
import { useSegments } from '../segments/useSegments';
import { toUpdate, useConfiguration, useKill, useRestore, useSaveConfiguration } from './useConfiguration';
import { conditionProblems } from './operators';
import { percent, total, TOTAL } from './splits';
import RulesEditor from './RulesEditor';
import ServeEditor from './ServeEditor';
import PrerequisitesEditor from './PrerequisitesEditor';
import PreviewPanel from './PreviewPanel';
import KillDialog from './KillDialog';

interface Props {
  project: string;
  environment: string;
  definition: FlagView;
  flags: FlagSummary[];
  editable: boolean;
}

export const CONFLICT_MESSAGE = 'This configuration was changed by someone else since you opened it — reload or overwrite.';

/**
 * A flag's configuration in one environment. Edits stay a draft (with a live preview) until saved; the save sends the
 * ETag read when editing began, so a change someone else made meanwhile is never silently overwritten.
 */
export default function TargetingPanel({ project, environment, definition, flags, editable }: Props) {
  const at = { project, environment, flag: definition.key };
  const { current, loading, error, refetch } = useConfiguration(at);
  const { segments } = useSegments(project, environment);
  const save = useSaveConfiguration(at);
  const kill = useKill(at);
  const restore = useRestore(at);
  const [draft, setDraft] = useState<ConfigurationUpdate | null>(null);
  const [baseEtag, setBaseEtag] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [killOpen, setKillOpen] = useState(false);
  const [previewProblem, setPreviewProblem] = useState<unknown>(null);
  const onPreviewProblem = useCallback((e: unknown) => setPreviewProblem(e), []);

  const treatments = definition.treatments.map((t) => t.name);
  const segmentKeys = useMemo(() => segments.map((s) => s.key), [segments]);
  const shown: ConfigurationUpdate | null = draft ?? (current ? toUpdate(current.configuration) : null);
  const dirty = draft !== null && current !== undefined && JSON.stringify(draft) !== JSON.stringify(toUpdate(current.configuration));
  const local = useMemo(() => (shown ? localProblems(shown, segmentKeys) : {}), [shown, segmentKeys]);
  const conflict = asApiError(save.error)?.isConflict ?? false;
  const errors = mergeErrors(conflict ? null : save.error, rebase(previewProblem, '/draft/configuration'), localErrors(local));

  if (loading) return <Loading label="Loading the configuration" />;
  if (error || !current || !shown) return <ProblemAlert error={error} />;
  const configuration = current.configuration;

  function edit(next: Partial<ConfigurationUpdate>) {
    if (!draft) setBaseEtag(current!.etag);
    setDraft({ ...shown!, ...next });
    if (save.error) save.reset();
  }

  function discard() {
    setDraft(null);
    setBaseEtag(null);
    save.reset();
  }

  function submit(etag: string) {
    save.mutate(
      { body: draft!, etag, comment },
      {
        onSuccess: (saved) => {
          setDraft(null);
          setBaseEtag(null);
          setComment('');
          notifications.show({ message: `Saved: ${definition.key} in ${environment} is at version ${saved.version}` });
        },
      },
    );
  }

  async function overwrite() {
    const fresh = await refetch();
    if (fresh.data) submit(fresh.data.etag);
  }

  function reload() {
    discard();
    void refetch();
  }

  const usesSplit = Array.isArray(shown.defaultServe?.split) || (shown.rules ?? []).some((r) => Array.isArray(r.serve?.split));
  const readOnly = !editable;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="md">
          <Paper withBorder p="sm">
            <Group justify="space-between" wrap="wrap">
              <Group gap="sm">
                <StateBadge enabled={configuration.enabled} killed={configuration.killed} />
                <Switch
                  label="Enabled"
                  checked={shown.enabled ?? false}
                  onChange={(e) => edit({ enabled: e.currentTarget.checked })}
                  disabled={readOnly}
                />
                <Text size="xs" c="dimmed">
                  version {configuration.version}
                </Text>
              </Group>
              {editable &&
                (configuration.killed ? (
                  <Button color="green" variant="light" loading={restore.isPending} onClick={() => restore.mutate({ comment: 'restored from the console' })}>
                    Restore
                  </Button>
                ) : (
                  <Button color="red" onClick={() => setKillOpen(true)}>
                    Kill
                  </Button>
                ))}
            </Group>
            {configuration.killed && (
              <Alert color="red" mt="sm" title="Killed">
                Everyone gets {configuration.offTreatment} until the flag is restored.
              </Alert>
            )}
          </Paper>

          <Section title="Rules" hint="Tried in order; the first whose conditions all hold serves. Fixed treatments ignore traffic allocation.">
            <RulesEditor
              rules={(shown.rules ?? []) as Rule[]}
              onChange={(rules) => edit({ rules })}
              treatments={treatments}
              segments={segmentKeys}
              errors={errors}
              readOnly={readOnly}
            />
          </Section>

          <Section title="Default rule" hint="What everyone else gets.">
            <ServeEditor
              label="Default rule"
              serve={shown.defaultServe as Serve}
              treatments={treatments}
              pointer="/defaultServe"
              errors={errors}
              readOnly={readOnly}
              onChange={(defaultServe) => edit({ defaultServe })}
            />
          </Section>

          <Section
            title="Traffic allocation"
            hint={usesSplit ? 'Share of keys that enter splits at all; the rest get the off treatment.' : 'Applies to splits only (none configured).'}
          >
            <Group gap="md" wrap="nowrap">
              <Slider
                style={{ flex: 1 }}
                min={0}
                max={TOTAL}
                step={100}
                value={shown.trafficAllocation ?? TOTAL}
                onChange={(trafficAllocation) => edit({ trafficAllocation })}
                label={(v) => percent(v)}
                disabled={readOnly}
                thumbLabel="Traffic allocation"
                aria-label="Traffic allocation"
              />
              <Text size="sm" w={60} ta="right" data-testid="traffic-allocation">
                {percent(shown.trafficAllocation ?? TOTAL)}
              </Text>
            </Group>
            {fieldError(errors, '/trafficAllocation') && (
              <Text size="xs" c="red">
                {fieldError(errors, '/trafficAllocation')}
              </Text>
            )}
          </Section>

          <Section title="Off treatment" hint="Served when the flag is disabled, killed, a prerequisite fails or a key is outside the traffic allocation.">
            <Select
              aria-label="Off treatment"
              data={treatments}
              value={shown.offTreatment ?? null}
              onChange={(offTreatment) => offTreatment && edit({ offTreatment })}
              disabled={readOnly}
              allowDeselect={false}
              error={fieldError(errors, '/offTreatment')}
              w={220}
            />
          </Section>

          <Section title="Prerequisites">
            <PrerequisitesEditor
              prerequisites={(shown.prerequisites ?? []) as { flag: string; treatments: string[] }[]}
              onChange={(prerequisites) => edit({ prerequisites })}
              flags={flags}
              self={definition.key}
              errors={errors}
              readOnly={readOnly}
            />
          </Section>

          {conflict && (
            <Alert color="orange" role="alert" title="Changed by someone else" data-testid="conflict">
              <Stack gap="xs">
                <Text size="sm">{CONFLICT_MESSAGE}</Text>
                <Group gap="xs">
                  <Button size="xs" variant="default" onClick={reload}>
                    Reload (discard my changes)
                  </Button>
                  <Button size="xs" color="orange" onClick={overwrite}>
                    Overwrite with my changes
                  </Button>
                </Group>
              </Stack>
            </Alert>
          )}
          {save.error != null && !conflict && <ProblemAlert error={save.error} title="Not saved" />}

          {editable && dirty && (
            <Paper withBorder p="sm" shadow="sm" pos="sticky" bottom={8} style={{ zIndex: 2 }}>
              <Group align="flex-end" wrap="wrap">
                <TextInput
                  style={{ flex: 1 }}
                  miw={200}
                  label="Comment for the audit log"
                  value={comment}
                  onChange={(e) => setComment(e.currentTarget.value)}
                />
                <Button variant="default" onClick={discard}>
                  Discard
                </Button>
                <Button onClick={() => submit(baseEtag ?? current.etag)} loading={save.isPending} disabled={Object.keys(local).length > 0}>
                  Save changes
                </Button>
              </Group>
            </Paper>
          )}
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <PreviewPanel
          project={project}
          environment={environment}
          flag={definition.key}
          draft={shown}
          treatments={treatments}
          onProblem={onPreviewProblem}
        />
      </Grid.Col>
      <KillDialog
        opened={killOpen}
        flag={definition.key}
        environment={environment}
        offTreatment={configuration.offTreatment}
        pending={kill.isPending}
        error={kill.error}
        onClose={() => setKillOpen(false)}
        onKill={(why) =>
          kill.mutate(
            { comment: why },
            {
              onSuccess: () => {
                setKillOpen(false);
                notifications.show({ color: 'red', message: `${definition.key} killed in ${environment}` });
              },
            },
          )
        }
      />
    </Grid>
  );
}

export function StateBadge({ enabled, killed }: { enabled: boolean; killed: boolean }) {
  if (killed) return <Badge color="red">Killed</Badge>;
  return enabled ? <Badge color="green">On</Badge> : <Badge color="gray">Off</Badge>;
}

function Section({ title, hint, children }: { title: string; hint?: string; children: React.ReactNode }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label={title}>
      <Stack gap="xs">
        <div>
          <Title order={3} size="h5">
            {title}
          </Title>
          {hint && (
            <Text size="xs" c="dimmed">
              {hint}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Paper>
  );
}

/** What the editor can tell before asking the server: bad condition values and splits that do not add up. */
export function localProblems(c: ConfigurationUpdate, segments: string[]): FieldErrors {
  const errors: FieldErrors = {};
  (c.rules ?? []).forEach((rule, i) => {
    (rule.conditions ?? []).forEach((condition, j) =>
      Object.assign(errors, conditionProblems(condition as Parameters<typeof conditionProblems>[0], `/rules/${i}/conditions/${j}`, segments)),
    );
    const split = rule.serve?.split;
    if (split && total(split as { treatment: string; weight: number }[]) !== TOTAL) {
      errors[`/rules/${i}/serve/split`] = 'weights must add up to 100%';
    }
  });
  const split = c.defaultServe?.split;
  if (split && total(split as { treatment: string; weight: number }[]) !== TOTAL) {
    errors['/defaultServe/split'] = 'weights must add up to 100%';
  }
  return errors;
}
