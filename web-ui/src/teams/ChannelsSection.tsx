import { useState } from 'react';
import { Badge, Button, Group, Paper, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { fieldError } from '../api/problem';
import type { ChannelView, NotificationView } from '../api/types';
import { Empty, FormProblem, ProblemAlert } from '../components/States';
import SecretOnce from '../components/SecretOnce';
import DeliveryLog from '../notifications/DeliveryLog';
import { useCreateChannel, useDeleteChannel, useRotateSecret, useTestChannel, useUpdateChannel, type ChannelScope } from './useTeams';

/** The channels of a team (or the project's defaults): list, create, test, new secret, delete. */
export default function ChannelsSection({ scope, channels, editable, title }: { scope: ChannelScope; channels: ChannelView[]; editable: boolean; title: string }) {
  const remove = useDeleteChannel(scope);
  const test = useTestChannel(scope);
  const rotate = useRotateSecret(scope);
  const update = useUpdateChannel(scope);
  const [secret, setSecret] = useState<{ channel: string; secret: string } | null>(null);
  const [tested, setTested] = useState<{ channel: string; result: NotificationView } | null>(null);
  return (
    <Stack gap="xs">
      {secret && <SecretOnce label={`Signing secret of ${secret.channel}`} secret={secret.secret} onDone={() => setSecret(null)} />}
      {channels.length === 0 ? (
        <Empty title={`No channels for ${title}`} />
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label={`Channels of ${title}`}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Channel</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>URL</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {channels.map((c) => (
                <Table.Tr key={c.key}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {c.name || c.key}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {c.key}
                    </Text>
                    {editable ? (
                      <Switch
                        size="xs"
                        mt={4}
                        label="Enabled"
                        aria-label={`Channel ${c.key} enabled`}
                        checked={c.enabled}
                        disabled={update.isPending && update.variables?.channel === c.key}
                        onChange={(e) => update.mutate({ channel: c.key, patch: { enabled: e.currentTarget.checked } })}
                      />
                    ) : (
                      !c.enabled && <Badge color="gray">disabled</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.kind}
                    {c.signed && (
                      <Badge ml={4} size="xs" variant="light">
                        signed
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td style={{ wordBreak: 'break-all' }}>
                    <Text size="xs">{c.url}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {editable && (
                        <Button
                          size="compact-xs"
                          variant="light"
                          loading={test.isPending && test.variables === c.key}
                          onClick={() => test.mutate(c.key, { onSuccess: (result) => setTested({ channel: c.key, result }) })}
                          aria-label={`Send a test notification to ${c.key}`}
                        >
                          Send test
                        </Button>
                      )}
                      {editable && c.kind.toLowerCase() === 'webhook' && (
                        <Button
                          size="compact-xs"
                          variant="default"
                          loading={rotate.isPending && rotate.variables === c.key}
                          onClick={() => rotate.mutate(c.key, { onSuccess: (v) => v.secret && setSecret({ channel: c.key, secret: v.secret }) })}
                          aria-label={`New signing secret for ${c.key}`}
                        >
                          New secret
                        </Button>
                      )}
                      {editable && (
                        <Button
                          size="compact-xs"
                          color="red"
                          variant="subtle"
                          loading={remove.isPending && remove.variables === c.key}
                          onClick={() => remove.mutate(c.key)}
                          aria-label={`Delete channel ${c.key}`}
                        >
                          Delete
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ProblemAlert error={test.error ?? rotate.error ?? remove.error ?? update.error} />
      {tested && (
        <Paper withBorder p="xs" role="status" aria-label={`Test notification to ${tested.channel}`}>
          <Text size="sm" fw={600}>
            Test notification to {tested.channel}
          </Text>
          <DeliveryLog notification={tested.result} />
        </Paper>
      )}
      {editable && <ChannelForm scope={scope} title={title} onSecret={(channel, value) => setSecret({ channel, secret: value })} />}
    </Stack>
  );
}

/** A new webhook or Slack channel; a refused URL is shown at the URL field. */
export function ChannelForm({ scope, title, onSecret }: { scope: ChannelScope; title: string; onSecret: (channel: string, secret: string) => void }) {
  const create = useCreateChannel(scope);
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState('webhook');
  const [url, setUrl] = useState('');
  return (
    <form
      aria-label={`New channel for ${title}`}
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate(
          { key, name: name || undefined, kind, url, enabled: true },
          {
            onSuccess: (channel) => {
              if (channel.secret) onSecret(channel.key, channel.secret);
              setKey('');
              setName('');
              setUrl('');
            },
          },
        );
      }}
    >
      <Title order={3} size="h6" mt="xs">
        New channel
      </Title>
      <Group align="flex-start" gap="sm" wrap="wrap">
        <TextInput label="Channel key" required value={key} onChange={(e) => setKey(e.currentTarget.value)} error={fieldError(create.error, '/key')} w={{ base: '100%', xs: 150 }} />
        <TextInput label="Channel name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, '/name')} w={{ base: '100%', xs: 170 }} />
        <Select
          label="Kind"
          data={[
            { value: 'webhook', label: 'Webhook (signed)' },
            { value: 'slack', label: 'Slack incoming webhook' },
          ]}
          value={kind}
          onChange={(v) => v && setKind(v)}
          allowDeselect={false}
          error={fieldError(create.error, '/kind')}
          w={{ base: '100%', xs: 200 }}
        />
        <TextInput
          label="URL"
          inputMode="url"
          required
          placeholder="https://…"
          value={url}
          onChange={(e) => setUrl(e.currentTarget.value)}
          error={fieldError(create.error, '/url')}
          w={{ base: '100%', xs: 280 }}
        />
        <Button type="submit" mt={{ base: 0, xs: 25 }} loading={create.isPending}>
          Add channel
        </Button>
      </Group>
      <FormProblem error={create.error} />
    </form>
  );
}
