import { Alert, Badge, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import type { ExperimentReport, MetricReport } from '../api/types';
import { Empty, Loading, ProblemAlert } from '../components/States';
import SrmBadge from '../exposure/SrmBadge';
import EffectOverTimeChart from './EffectOverTimeChart';
import ForestPlot from './ForestPlot';
import { forestRows, formatLift } from './forest';
import { csvUrl, useRefreshReport, useReport } from './useReport';

const VERDICT_COLORS: Record<string, string> = { IMPROVED: 'green', DEGRADED: 'red', INCONCLUSIVE: 'gray', NOT_ENOUGH_DATA: 'gray', NOT_TRUSTWORTHY: 'red' };
const DECISION_COLORS: Record<string, string> = { SHIP: 'green', DO_NOT_SHIP: 'red', KEEP_RUNNING: 'blue', INVESTIGATE: 'orange' };
const GUARDRAIL_COLORS: Record<string, string> = { HEALTHY: 'green', AT_RISK: 'yellow', BREACHED: 'orange', SEVERE: 'red', NOT_ENOUGH_DATA: 'gray' };

/** The experiment report: arms, SRM, and per metric the lift with its interval, p-value, verdict and summary. */
export default function ReportPanel({ project, environment, flag, editable }: { project: string; environment: string; flag: string; editable: boolean }) {
  const { report, loading, error } = useReport(project, environment, flag);
  const refresh = useRefreshReport(project, environment, flag);
  if (loading) return <Loading label="Loading the report" />;
  if (error || !report) return <ProblemAlert error={error} />;
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <SrmBadge status={report.srm.status} pValue={report.srm.pValue} />
          <Text size="xs" c="dimmed">
            computed {new Date(report.computedAt).toLocaleString()} · control {report.control}
          </Text>
        </Group>
        <Group gap="xs">
          {editable && (
            <Button size="xs" variant="default" onClick={() => refresh.mutate()} loading={refresh.isPending}>
              Recompute now
            </Button>
          )}
          <Button size="xs" variant="light" component="a" href={csvUrl(project, environment, flag)} download>
            Download CSV
          </Button>
        </Group>
      </Group>
      <ProblemAlert error={refresh.error} />
      {report.decision && (
        <Paper withBorder p="sm" data-testid="decision">
          <Group gap="xs" align="baseline" wrap="wrap">
            <Badge color={DECISION_COLORS[report.decision.outcome] ?? 'gray'} size="lg">
              {report.decision.outcome.replaceAll('_', ' ').toLowerCase()}
            </Badge>
            <Text size="sm">{report.decision.summary}</Text>
          </Group>
          <Text size="xs" c="dimmed" mt={4}>
            {report.decision.rule}
          </Text>
        </Paper>
      )}
      {report.srm.mismatch && (
        <Alert color="red" title="Sample ratio mismatch" role="alert">
          The arms are not in the proportions the split configures (p = {report.srm.pValue?.toExponential(2)}). Do not trust any number below until
          you know why users went missing from an arm; verdicts are withheld.
        </Alert>
      )}
      {report.message && <Alert color="gray">{report.message}</Alert>}
      {report.arms.length > 0 && (
        <Paper withBorder p="sm">
          <Text size="sm">
            {report.arms.map((a) => `${a.treatment}${a.control ? ' (control)' : ''}: ${a.users.toLocaleString()} users`).join(' · ')}
            {report.excludedMultiTreatmentUsers > 0 && ` · ${report.excludedMultiTreatmentUsers} excluded (saw several treatments)`}
            {(report.notRandomisedUsers ?? 0) > 0 &&
              ` · ${(report.notRandomisedUsers ?? 0).toLocaleString()} not randomised (served by a fixed rule, a prerequisite, outside the split or a kill: counted, not compared)`}
          </Text>
        </Paper>
      )}
      {report.metrics.length === 0 ? (
        <Empty title="No metrics to report">Attach success metrics on the Metrics tab; guardrails apply on their own.</Empty>
      ) : (
        report.metrics.map((m) => (
          <MetricSection key={m.key} metric={m} series={(report.effectOverTime ?? []).filter((e) => e.metric === m.key)} />
        ))
      )}
      {(report.metricChanges ?? []).length > 0 && <MetricChanges changes={report.metricChanges ?? []} />}
      <Text size="xs" c="dimmed">
        Intervals are always-valid (sequential) unless marked fixed: you may look as often as you like. Each bar is a treatment's interval; one entirely right of 0 (left, for lower-is-better metrics) is a significant change.
      </Text>
    </Stack>
  );
}

/** Every metric redefined or removed after the start: what changed, who, when. Such metrics no longer decide. */
function MetricChanges({ changes }: { changes: NonNullable<ExperimentReport['metricChanges']> }) {
  return (
    <Paper withBorder p="sm" component="section" aria-label="Metrics changed after the start">
      <Title order={3} size="h5">
        Metrics changed after the start
      </Title>
      <Text size="xs" c="dimmed" mb={4}>
        A metric redefined after the experiment started is exploratory: it no longer decides, and a redefined guardrail can stop a ship but not clear one.
      </Text>
      <Stack gap={2}>
        {changes.map((c, i) => (
          <Text size="sm" key={i} data-testid="metric-change">
            <strong>{c.name}</strong>{' '}
            {c.change === 'REDEFINED'
              ? `redefined (version ${c.fromVersion} → ${c.toVersion}): ${c.fields.map((f) => `${f.field} ${f.from} → ${f.to}`).join(', ')}`
              : `removed (${c.reason ?? 'no longer analysed'})`}
            <Text span size="xs" c="dimmed">
              {' '}
              by {c.changedBy}, {new Date(c.changedAt).toLocaleString()}
            </Text>
          </Text>
        ))}
      </Stack>
    </Paper>
  );
}

function MetricSection({ metric, series }: { metric: MetricReport; series: NonNullable<ExperimentReport['effectOverTime']> }) {
  const rows = forestRows(metric.treatments);
  return (
    <Paper withBorder p="sm" component="section" aria-label={`Metric ${metric.name}`}>
      <Stack gap="xs">
        <Group gap="xs" wrap="wrap">
          <Title order={3} size="h5">
            {metric.name}
          </Title>
          <Badge variant="outline" size="sm">
            {metric.aggregation} · {metric.direction === 'INCREASE' ? 'higher is better' : 'lower is better'}
          </Badge>
          {metric.guardrail && (
            <Badge color="grape" size="sm">
              guardrail
            </Badge>
          )}
          {metric.redefinedAfterStart ? (
            <Badge color="yellow" size="sm" variant="light" title={`version ${metric.startVersion} at the start, now ${metric.definitionVersion}`}>
              redefined after start
            </Badge>
          ) : (
            metric.exploratory && (
              <Badge color="yellow" size="sm" variant="light">
                added after start
              </Badge>
            )
          )}
        </Group>
        {metric.summary && (
          <Text size="sm" data-testid="metric-summary">
            {metric.summary}
          </Text>
        )}
        {rows.length > 0 ? (
          <ForestPlot rows={rows} metric={metric.key} labels={metric.treatments.map((t) => t.treatment)} />
        ) : (
          <Text size="xs" c="dimmed">
            No interval yet (too few users or no variance).
          </Text>
        )}
        {series.length > 0 && <EffectOverTimeChart metric={metric.key} series={series} />}
        <Table.ScrollContainer minWidth={560}>
          <Table fz="sm" aria-label={`${metric.name} by treatment`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Treatment</Table.Th>
                <Table.Th>Users</Table.Th>
                <Table.Th>Lift</Table.Th>
                <Table.Th>Interval</Table.Th>
                <Table.Th>p-value</Table.Th>
                <Table.Th>Verdict</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {metric.treatments.map((t) => {
                const row = rows.find((r) => r.treatment === t.treatment);
                return (
                  <Table.Tr key={t.treatment}>
                    <Table.Td>{t.treatment}</Table.Td>
                    <Table.Td>
                      {t.treatmentUsers.toLocaleString()} vs {t.controlUsers.toLocaleString()}
                    </Table.Td>
                    <Table.Td>{row ? formatLift(row.estimate, row.relative) : '—'}</Table.Td>
                    <Table.Td>
                      {row ? `${formatLift(row.lower, row.relative)} to ${formatLift(row.upper, row.relative)}` : '—'}
                      <Text span size="xs" c="dimmed">
                        {' '}
                        {((1 - t.alpha) * 100).toFixed(t.alpha < 0.01 ? 2 : 0)}% {t.sequential ? '' : 'fixed'}
                      </Text>
                    </Table.Td>
                    <Table.Td>{row?.pValue != null ? (row.pValue < 0.0001 ? row.pValue.toExponential(1) : row.pValue.toFixed(4)) : '—'}</Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        <Badge color={VERDICT_COLORS[t.verdict] ?? 'gray'} variant="light" data-testid="verdict">
                          {t.verdict.replaceAll('_', ' ').toLowerCase()}
                        </Badge>
                        {t.guardrailStatus && (
                          <Badge color={GUARDRAIL_COLORS[t.guardrailStatus] ?? 'gray'} data-testid="guardrail">
                            {t.guardrailStatus.replaceAll('_', ' ').toLowerCase()}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Paper>
  );
}
