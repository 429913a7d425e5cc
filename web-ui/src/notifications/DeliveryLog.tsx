import { Badge, Group, Table, Text } from '@mantine/core';
import type { NotificationView } from '../api/types';

const STATUS_COLOR: Record<string, string> = { sent: 'green', pending: 'blue', dead: 'red' };

export function NotificationStatus({ status }: { status: string }) {
  return <Badge color={STATUS_COLOR[status] ?? 'gray'}>{status}</Badge>;
}

/** A response body cut to what fits a table cell; the whole one is in the title. */
export function truncate(text: string | null | undefined, max = 120): string {
  if (!text) return '';
  return text.length > max ? text.slice(0, max) + '…' : text;
}

/** A notification's attempts: when, the answer's status code, how long it took, what came back. */
export default function DeliveryLog({ notification }: { notification: NotificationView }) {
  return (
    <div>
      <Group gap="xs" mb={4}>
        <NotificationStatus status={notification.status} />
        <Text size="sm">
          {notification.attempts}/{notification.maxAttempts} attempts
          {notification.nextAttemptAt ? ` · next ${new Date(notification.nextAttemptAt).toLocaleString()}` : ''}
        </Text>
      </Group>
      {notification.lastError && (
        <Text size="xs" c="red">
          {notification.lastError}
        </Text>
      )}
      {notification.deliveries.length > 0 && (
        <Table.ScrollContainer minWidth={480}>
          <Table aria-label={`Attempts of notification ${notification.id}`} fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>At</Table.Th>
                <Table.Th>Status code</Table.Th>
                <Table.Th>Latency</Table.Th>
                <Table.Th>Response</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {notification.deliveries.map((d) => (
                <Table.Tr key={d.attempt}>
                  <Table.Td>{d.attempt}</Table.Td>
                  <Table.Td>{new Date(d.at).toLocaleString()}</Table.Td>
                  <Table.Td>{d.statusCode ?? '—'}</Table.Td>
                  <Table.Td>{d.latencyMs ?? '—'} ms</Table.Td>
                  <Table.Td title={d.responseBody ?? d.error ?? ''} style={{ wordBreak: 'break-word' }}>
                    {d.error ? <Text c="red" size="xs">{truncate(d.error)}</Text> : <code>{truncate(d.responseBody)}</code>}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </div>
  );
}
