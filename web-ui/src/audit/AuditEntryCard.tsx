import { Badge, Code, Group, Paper, Stack, Table, Text } from '@mantine/core';
import type { AuditEntryView } from '../api/types';
import { diff, readable } from '../flags/diff';
import { ago } from '../components/time';

/** One audited change: who, when, what, why, and a line per changed field. */
export default function AuditEntryCard({ entry }: { entry: AuditEntryView }) {
  const changes = diff(entry.before, entry.after);
  return (
    <Paper withBorder p="sm" component="article" aria-label={`${entry.action} by ${entry.actor}`}>
      <Stack gap={6}>
        <Group gap="xs" wrap="wrap">
          <Badge color={entry.action === 'kill' ? 'red' : entry.action === 'restore' ? 'green' : 'gray'} variant="light">
            {entry.action}
          </Badge>
          <Text size="sm" fw={600}>
            {entry.entityType} {entry.entityKey}
          </Text>
          {entry.environment && (
            <Text size="sm" c="dimmed">
              in {entry.environment}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            by {entry.actor} · <time dateTime={entry.at} title={new Date(entry.at).toLocaleString()}>{ago(entry.at)}</time>
          </Text>
        </Group>
        {entry.comment && (
          <Text size="sm" fs="italic" data-testid="audit-comment">
            “{entry.comment}”
          </Text>
        )}
        {changes.length > 0 && entry.before != null && (
          <Table fz="xs" withRowBorders={false} verticalSpacing={2} aria-label="Changed fields">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Before</Table.Th>
                <Table.Th>After</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.slice(0, 40).map((c) => (
                <Table.Tr key={c.path}>
                  <Table.Td>
                    <Code>{c.path}</Code>
                  </Table.Td>
                  <Table.Td c="dimmed" style={{ wordBreak: "break-all" }}><del>{readable(c.path, c.before)}</del></Table.Td>
                  <Table.Td fw={600} style={{ wordBreak: "break-all" }}>{readable(c.path, c.after)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {changes.length > 40 && (
          <Text size="xs" c="dimmed">
            and {changes.length - 40} more fields
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
