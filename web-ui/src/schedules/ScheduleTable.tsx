import { Anchor, Badge, Button, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { ScheduleView } from '../api/types';

const STATUS_COLOR: Record<ScheduleView['status'], string> = { PENDING: 'blue', APPLIED: 'green', FAILED: 'red', CANCELLED: 'gray' };

/** What a scheduled change does, in words. */
export function describeChange(s: ScheduleView): string {
  switch (s.action) {
    case 'ENABLE':
      return 'enable';
    case 'DISABLE':
      return 'disable';
    case 'SET_ROLLOUT':
      return `roll out ${s.rollout?.treatment ?? 'on'} to ${(s.rollout?.weight ?? 0) / 100} %`;
    case 'APPLY':
      return 'apply a configuration';
  }
}

/** Scheduled changes with their status and outcome; pending ones can be cancelled by editors. */
export default function ScheduleTable({
  schedules,
  project,
  showFlag,
  canCancel,
  onCancel,
  cancelling,
}: {
  schedules: ScheduleView[];
  project: string;
  showFlag: boolean;
  canCancel: (s: ScheduleView) => boolean;
  onCancel: (s: ScheduleView) => void;
  cancelling?: number;
}) {
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table striped aria-label="Scheduled changes">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Runs at</Table.Th>
            {showFlag && <Table.Th>Flag</Table.Th>}
            <Table.Th>Change</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Scheduled by</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {schedules.map((s) => (
            <Table.Tr key={s.id}>
              <Table.Td>{new Date(s.runAt).toLocaleString()}</Table.Td>
              {showFlag && (
                <Table.Td>
                  <Anchor component={Link} to={`/projects/${project}/flags/${s.flag}/${s.environment}/schedules`} size="sm">
                    {s.flag}
                  </Anchor>
                  <Text size="xs" c="dimmed">
                    {s.environment}
                  </Text>
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{describeChange(s)}</Text>
                <Text size="xs" c="dimmed">
                  against v{s.baseVersion}
                  {s.comment ? ` · ${s.comment}` : ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLOR[s.status]}>{s.status.toLowerCase()}</Badge>
                {s.outcome && (
                  <Text size="xs" c={s.status === 'FAILED' ? 'red' : 'dimmed'}>
                    {s.outcome}
                  </Text>
                )}
                {s.finishedAt && (
                  <Text size="xs" c="dimmed">
                    {new Date(s.finishedAt).toLocaleString()}
                    {s.finishedBy ? ` by ${s.finishedBy}` : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm">{s.createdBy}</Text>
              </Table.Td>
              <Table.Td>
                {s.status === 'PENDING' && canCancel(s) ? (
                  <Button size="compact-xs" color="red" variant="light" loading={cancelling === s.id} onClick={() => onCancel(s)} aria-label={`Cancel scheduled change ${s.id}`}>
                    Cancel
                  </Button>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
