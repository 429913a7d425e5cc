import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Group, MultiSelect, PasswordInput, Select, Stack, Table, TextInput, Title } from '@mantine/core';
import { api, data } from '../api/client';
import { fieldError } from '../api/problem';
import type { UserView } from '../api/types';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import { useProjects } from '../projects/useProjects';

function useUsers() {
  const query = useQuery({ queryKey: ['users'], queryFn: async () => (await data(api.GET('/api/v1/users'))) as UserView[] });
  return { users: query.data ?? [], loading: query.isPending, error: query.error };
}

function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (body: { username: string; password: string; role: string; projects: string[] }) =>
      (await data(api.POST('/api/v1/users', { body }))) as UserView,
    onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }),
  });
}

const ROLE_COLORS: Record<string, string> = { admin: 'red', editor: 'blue', viewer: 'gray' };

/** Console users and their roles: admins everything, editors their projects, viewers read. */
export default function UsersPage() {
  const { users, loading, error } = useUsers();
  const { projects } = useProjects();
  const create = useCreateUser();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState('viewer');
  const [scope, setScope] = useState<string[]>([]);
  return (
    <Stack>
      <Title order={1} size="h2">
        Users and roles
      </Title>
      <form
        aria-label="New user"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ username, password, role, projects: scope }, { onSuccess: () => (setUsername(''), setPassword(''), create.reset()) });
        }}
      >
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Username" required value={username} onChange={(e) => setUsername(e.currentTarget.value)} error={fieldError(create.error, '/username')} />
          <PasswordInput label="Password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} error={fieldError(create.error, '/password')} w={200} />
          <Select label="Role" data={['admin', 'editor', 'viewer']} value={role} onChange={(r) => r && setRole(r)} allowDeselect={false} w={120} error={fieldError(create.error, '/role')} />
          <MultiSelect label="Projects (editors)" data={projects.map((p) => p.key)} value={scope} onChange={setScope} miw={200} error={fieldError(create.error, '/projects')} />
          <Button type="submit" mt={24} loading={create.isPending}>
            Add user
          </Button>
        </Group>
        <FormProblem error={create.error} />
      </form>
      <ProblemAlert error={error} />
      {loading ? (
        <Loading />
      ) : users.length === 0 ? (
        <Empty title="No console users yet" />
      ) : (
        <Table striped aria-label="Users">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>User</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Projects</Table.Th>
              <Table.Th>Since</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {users.map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.username}</Table.Td>
                <Table.Td>
                  <Badge color={ROLE_COLORS[u.role] ?? 'gray'} variant="light">
                    {u.role}
                  </Badge>
                </Table.Td>
                <Table.Td>{u.role === 'admin' ? 'all' : u.projects.join(', ') || '—'}</Table.Td>
                <Table.Td>{new Date(u.createdAt).toLocaleDateString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
