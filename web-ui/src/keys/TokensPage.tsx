import { useState } from 'react';
import { Button, Group, MultiSelect, Select, Stack, TextInput, Title } from '@mantine/core';
import { fieldError } from '../api/problem';
import type { CreatedToken } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import SecretOnce from '../components/SecretOnce';
import { useProjects } from '../projects/useProjects';
import { KeyTable } from './SdkKeysPage';
import { useCreateToken, useRevokeToken, useTokens } from './useKeys';

/** Admin tokens for automation (CI, scripts): `Authorization: Bearer dat_…`, with a role like a person's. */
export default function TokensPage() {
  const { tokens, loading, error } = useTokens();
  const { projects } = useProjects();
  const create = useCreateToken();
  const revoke = useRevokeToken();
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('editor');
  const [scope, setScope] = useState<string[]>([]);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  return (
    <Stack>
      <Title order={1} size="h2">
        Admin tokens
      </Title>
      {created && <SecretOnce label={`Token ${created.token.name}`} secret={created.secret} onDone={() => setCreated(null)} />}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ name, role, projects: scope }, { onSuccess: (c) => (setCreated(c), setName('')) });
        }}
      >
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Name" required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, '/name')} />
          <Select label="Role" data={['admin', 'editor', 'viewer']} value={role} onChange={(r) => r && setRole(r)} allowDeselect={false} error={fieldError(create.error, '/role')} w={120} />
          <MultiSelect label="Projects (editors)" data={projects.map((p) => p.key)} value={scope} onChange={setScope} error={fieldError(create.error, '/projects')} miw={200} />
          <Button type="submit" mt={24} loading={create.isPending}>
            Create token
          </Button>
        </Group>
        <FormProblem error={create.error} />
      </form>
      <ProblemAlert error={error ?? revoke.error} />
      {loading ? <Loading /> : tokens.length === 0 ? <Empty title="No admin tokens" /> : <KeyTable keys={tokens} admin onRevoke={(id) => revoke.mutate(id)} />}
    </Stack>
  );
}
