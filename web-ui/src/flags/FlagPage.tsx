import { lazy, Suspense } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { Anchor, Badge, Group, Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { Link } from 'react-router';
import { useEnvironments } from '../projects/useProjects';
import { canEdit, useSession } from '../session/useSession';
import { Loading, ProblemAlert } from '../components/States';
import { useFlag, useFlagSummaries } from './useFlags';
import TargetingPanel, { StateBadge } from './TargetingPanel';
import HistoryPanel from './HistoryPanel';
import FlagMetricsPanel from '../metrics/FlagMetricsPanel';
import PlanPanel from '../rollout/PlanPanel';
import SchedulePanel from '../schedules/SchedulePanel';
import { rememberEnvironment, preferredEnvironment } from '../projects/environmentChoice';

// Charts (recharts) load only when these tabs open.
const ExposurePanel = lazy(() => import('../exposure/ExposurePanel'));
const ReportPanel = lazy(() => import('../reports/ReportPanel'));

const TABS = ['targeting', 'plan', 'schedules', 'exposure', 'report', 'metrics', 'history'] as const;

/** One flag: its definition, and per environment its targeting, rollout plan, schedules, exposure, report, metrics and history. */
export default function FlagPage() {
  const { project = '', flag: flagKey = '', environment, tab = 'targeting' } = useParams();
  const navigate = useNavigate();
  const { session } = useSession();
  const { flag, loading, error } = useFlag(project, flagKey);
  const { environments, loading: loadingEnvs } = useEnvironments(project);
  const { summaries } = useFlagSummaries(project, {});

  if (loading || loadingEnvs) return <Loading />;
  if (error || !flag) return <ProblemAlert error={error} />;
  const active = environments.filter((e) => !e.archived);
  if (!environment || !active.some((e) => e.key === environment)) {
    const chosen = preferredEnvironment(project, active);
    if (!chosen) return <ProblemAlert error={new Error('This project has no environment yet.')} />;
    return <Navigate to={`/projects/${project}/flags/${flagKey}/${chosen}/${tab}`} replace />;
  }
  const summary = summaries.find((s) => s.flag.key === flagKey);
  const editable = canEdit(session, project) && !flag.archived;
  const go = (env: string, t: string) => {
    rememberEnvironment(project, env);
    navigate(`/projects/${project}/flags/${flagKey}/${env}/${t}`);
  };

  return (
    <Stack gap="md">
      <div>
        <Anchor component={Link} to={`/projects/${project}/flags`} size="sm">
          ← Flags
        </Anchor>
        <Group gap="sm" align="baseline" wrap="wrap">
          <Title order={1} size="h2">
            {flag.key}
          </Title>
          <Badge variant="outline">{flag.kind}</Badge>
          {flag.archived && <Badge color="gray">archived</Badge>}
          {flag.tags.map((t) => (
            <Badge key={t} variant="light" color="gray">
              {t}
            </Badge>
          ))}
        </Group>
        <Text size="sm" c="dimmed">
          {flag.description || 'No description'} · owner {flag.ownerTeam || '—'} · treatments{' '}
          {flag.treatments.map((t) => t.name).join(', ')}
        </Text>
        {!editable && (
          <Text size="sm" c="dimmed" data-testid="read-only">
            You can view this flag; changing it needs the editor role in {project}.
          </Text>
        )}
      </div>
      <Group gap="sm" wrap="wrap">
        <Select
          label="Environment"
          data={active.map((e) => ({ value: e.key, label: e.name || e.key }))}
          value={environment}
          onChange={(env) => env && go(env, tab)}
          allowDeselect={false}
          w={200}
        />
        <Group gap={6} pt={22}>
          {summary?.environments.map((s) => (
            <Group key={s.environment} gap={4}>
              <Text size="xs">{s.environment}</Text>
              <StateBadge enabled={s.enabled} killed={s.killed} />
            </Group>
          ))}
        </Group>
      </Group>
      <Tabs value={TABS.includes(tab as (typeof TABS)[number]) ? tab : 'targeting'} onChange={(t) => t && go(environment, t)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="targeting">Targeting</Tabs.Tab>
          <Tabs.Tab value="plan">Plan</Tabs.Tab>
          <Tabs.Tab value="schedules">Schedules</Tabs.Tab>
          <Tabs.Tab value="exposure">Exposure</Tabs.Tab>
          <Tabs.Tab value="report">Report</Tabs.Tab>
          <Tabs.Tab value="metrics">Metrics</Tabs.Tab>
          <Tabs.Tab value="history">History</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="targeting" pt="md">
          <TargetingPanel key={environment} project={project} environment={environment} definition={flag} flags={summaries} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="plan" pt="md">
          <PlanPanel key={environment} project={project} environment={environment} flag={flag} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="schedules" pt="md">
          <SchedulePanel key={environment} project={project} environment={environment} flag={flag} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="exposure" pt="md">
          <Suspense fallback={<Loading label="Loading charts" />}>
            <ExposurePanel project={project} environment={environment} flag={flag.key} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="report" pt="md">
          <Suspense fallback={<Loading label="Loading charts" />}>
            <ReportPanel project={project} environment={environment} flag={flag.key} editable={editable} />
          </Suspense>
        </Tabs.Panel>
        <Tabs.Panel value="metrics" pt="md">
          <FlagMetricsPanel project={project} flag={flag} editable={editable} />
        </Tabs.Panel>
        <Tabs.Panel value="history" pt="md">
          <HistoryPanel project={project} flag={flag.key} environment={environment} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
