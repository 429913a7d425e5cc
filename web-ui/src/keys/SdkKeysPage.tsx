import { useState } from 'react';
import { useParams } from 'react-router';
import { Badge, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { fieldError } from '../api/problem';
import type { CreatedSdkKey } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import EnvironmentSelect, { useEnvironmentParam } from '../components/EnvironmentSelect';
import SecretOnce from '../components/SecretOnce';
import { isAdmin, useSession } from '../session/useSession';
import { useCreateSdkKey, useRevokeSdkKey, useSdkKeys } from './useKeys';

/** Server-side SDK keys of an environment: a service reads that environment's flags and sends its events with one. */
export default function SdkKeysPage() {
  const { project = '' } = useParams();
  const [environment, setEnvironment] = useEnvironmentParam(project);
  const { session } = useSession();
  const { keys, loading, error } = useSdkKeys(project, environment);
  const create = useCreateSdkKey(project, environment ?? '');
  const revoke = useRevokeSdkKey(project, environment ?? '');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<CreatedSdkKey | null>(null);
  const admin = isAdmin(session);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          SDK keys
        </Title>
        <EnvironmentSelect project={project} value={environment} onChange={setEnvironment} />
      </Group>
      {created && <SecretOnce label={`SDK key ${created.sdkKey.name}`} secret={created.key} onDone={() => setCreated(null)} />}
      {admin && environment && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(name, { onSuccess: (c) => (setCreated(c), setName('')) });
          }}
        >
          <Group align="flex-end">
            <TextInput label="New key for service" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, '/name')} />
            <Button type="submit" loading={create.isPending}>
              Create SDK key
            </Button>
          </Group>
          <FormProblem error={create.error} />
        </form>
      )}
      <ProblemAlert error={error ?? revoke.error} />
      {loading ? <Loading /> : keys.length === 0 ? <Empty title="No SDK keys in this environment" /> : <KeyTable keys={keys} admin={admin} onRevoke={(id) => revoke.mutate(id)} />}
    </Stack>
  );
}

interface KeyRow {
  id: number;
  name: string;
  prefix: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null | undefined;
  role?: string;
  projects?: string[];
}

export function KeyTable({ keys, admin, onRevoke }: { keys: KeyRow[]; admin: boolean; onRevoke: (id: number) => void }) {
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table striped aria-label="Keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Starts with</Table.Th>
            {keys.some((k) => k.role) && <Table.Th>Role</Table.Th>}
            <Table.Th>Created</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((k) => (
            <Table.Tr key={k.id}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <code>{k.prefix}…</code>
              </Table.Td>
              {keys.some((x) => x.role) && (
                <Table.Td>
                  {k.role}
                  {k.projects && k.projects.length > 0 ? ` (${k.projects.join(', ')})` : ''}
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm">{new Date(k.createdAt).toLocaleString()}</Text>
                <Text size="xs" c="dimmed">
                  by {k.createdBy}
                </Text>
              </Table.Td>
              <Table.Td>
                {k.revokedAt ? (
                  <Badge color="gray">revoked</Badge>
                ) : admin ? (
                  <Button size="compact-xs" color="red" variant="light" onClick={() => onRevoke(k.id)}>
                    Revoke {k.name}
                  </Button>
                ) : (
                  <Badge color="green">active</Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
