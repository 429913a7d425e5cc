import { useState } from 'react';
import { Badge, Group, Paper, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { Area, AreaChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Empty, Loading, ProblemAlert } from '../components/States';
import { useExposure, useKeyExposure } from './useExposure';
import SrmBadge from './SrmBadge';

export const SERIES_COLORS = ['#1c7ed6', '#f76707', '#0ca678', '#ae3ec9', '#f59f00', '#d6336c', '#1098ad', '#74b816'];

/** Who has been exposed: impressions over time per treatment, unique users, allocation against the split, SRM. */
export default function ExposurePanel({ project, environment, flag }: { project: string; environment: string; flag: string }) {
  const [interval, setInterval] = useState('hour');
  const { exposure, loading, error } = useExposure(project, environment, flag, interval);
  if (loading) return <Loading label="Loading exposure" />;
  if (error || !exposure) return <ProblemAlert error={error} />;
  const treatments = exposure.treatments.map((t) => t.treatment);
  const points = exposure.series.map((b) => ({
    time: new Date(b.start).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
    ...b.treatments,
  }));
  return (
    <Stack gap="md">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs">
          <Text size="sm">
            <b>{exposure.impressions.toLocaleString()}</b> impressions · <b>{exposure.uniqueKeys.toLocaleString()}</b> unique users
            {exposure.multiTreatmentKeys > 0 && ` · ${exposure.multiTreatmentKeys} saw several treatments`}
          </Text>
          <SrmBadge status={exposure.allocation.srm.status} pValue={exposure.allocation.srm.pValue} />
        </Group>
        <SegmentedControl
          size="xs"
          aria-label="Time bucket"
          value={interval}
          onChange={setInterval}
          data={[
            { value: 'minute', label: 'minute' },
            { value: 'hour', label: 'hour' },
            { value: 'day', label: 'day' },
          ]}
        />
      </Group>
      {exposure.impressions === 0 ? (
        <Empty title="No impressions yet">Impressions appear once an SDK evaluates this flag here.</Empty>
      ) : (
        <Paper withBorder p="sm" component="figure" m={0} aria-label={`Impressions per ${interval} by treatment`}>
          <Title order={3} size="h5" mb="xs">
            Impressions per {interval}
          </Title>
          <div style={{ width: '100%', height: 260 }} data-testid="exposure-chart">
            <ResponsiveContainer>
              <AreaChart data={points} margin={{ left: 0, right: 8, top: 8, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" />
                <XAxis dataKey="time" fontSize={11} minTickGap={24} />
                <YAxis fontSize={11} allowDecimals={false} />
                <Tooltip />
                <Legend />
                {treatments.map((t, i) => (
                  <Area key={t} type="monotone" dataKey={t} stackId="1" stroke={SERIES_COLORS[i % 8]} fill={SERIES_COLORS[i % 8]} fillOpacity={0.35} isAnimationActive={false} />
                ))}
              </AreaChart>
            </ResponsiveContainer>
          </div>
        </Paper>
      )}
      <Paper withBorder p="sm">
        <Title order={3} size="h5" mb="xs">
          Allocation {exposure.allocation.source !== 'none' && <Text span size="xs" c="dimmed">({exposure.allocation.source}, label “{exposure.allocation.label}”)</Text>}
        </Title>
        <Table.ScrollContainer minWidth={480}>
          <Table aria-label="Allocation by treatment">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Treatment</Table.Th>
                <Table.Th>Impressions</Table.Th>
                <Table.Th>Unique users</Table.Th>
                <Table.Th>Expected share</Table.Th>
                <Table.Th>Observed share</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {exposure.treatments.map((t) => {
                const arm = exposure.allocation.arms.find((a) => a.treatment === t.treatment);
                return (
                  <Table.Tr key={t.treatment}>
                    <Table.Td>
                      <Badge variant="light">{t.treatment}</Badge>
                    </Table.Td>
                    <Table.Td>{t.impressions.toLocaleString()}</Table.Td>
                    <Table.Td>{t.uniqueKeys.toLocaleString()}</Table.Td>
                    <Table.Td>{arm ? `${(arm.expectedShare * 100).toFixed(1)}%` : '—'}</Table.Td>
                    <Table.Td>{arm?.observedShare != null ? `${(arm.observedShare * 100).toFixed(1)}%` : '—'}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <KeyLookup project={project} environment={environment} flag={flag} />
    </Stack>
  );
}

function KeyLookup({ project, environment, flag }: { project: string; environment: string; flag: string }) {
  const [key, setKey] = useState('');
  const [asked, setAsked] = useState('');
  const { keyExposure, loading, error } = useKeyExposure(project, environment, flag, asked);
  return (
    <Paper withBorder p="sm" component="section" aria-label="One key">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(key.trim());
        }}
      >
        <TextInput label="What did this key see?" description="Its first exposures, latest impressions and what it gets now" value={key} onChange={(e) => setKey(e.currentTarget.value)} maw={360} />
      </form>
      {loading && <Loading />}
      <ProblemAlert error={error} />
      {keyExposure && (
        <Stack gap={4} mt="xs">
          <Text size="sm">
            Now: <Badge variant="light">{keyExposure.currentEvaluation.treatment}</Badge> because <code>{keyExposure.currentEvaluation.label}</code>
          </Text>
          {keyExposure.exposures.map((e) => (
            <Text key={e.treatment} size="xs">
              first saw {e.treatment} at {new Date(e.firstSeen).toLocaleString()} ({e.label})
            </Text>
          ))}
          {keyExposure.multipleTreatments && (
            <Text size="xs" c="orange.8">
              This key saw more than one treatment: the analysis leaves it out.
            </Text>
          )}
        </Stack>
      )}
    </Paper>
  );
}
