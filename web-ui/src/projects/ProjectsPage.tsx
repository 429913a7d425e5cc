import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Anchor, Button, Group, Stack, Table, TextInput, Title } from '@mantine/core';
import { api, data } from '../api/client';
import { fieldError } from '../api/problem';
import { FormProblem, Loading } from '../components/States';
import { useProjects } from './useProjects';

/** Projects, and for admins a new project with its environments in one go. */
export default function ProjectsPage() {
  const { projects, loading } = useProjects();
  const client = useQueryClient();
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [environments, setEnvironments] = useState('development, production');
  const create = useMutation({
    mutationFn: async () => {
      await data(api.POST('/api/v1/projects', { body: { key, name } }));
      for (const env of environments.split(/[\s,]+/).filter(Boolean)) {
        await data(api.POST('/api/v1/projects/{project}/environments', { params: { path: { project: key } }, body: { key: env } }));
      }
    },
    onSuccess: () => {
      client.invalidateQueries({ queryKey: ['projects'] });
      setKey('');
      setName('');
    },
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        Projects
      </Title>
      <form
        aria-label="New project"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-start" wrap="wrap">
          <TextInput label="Key" required value={key} onChange={(e) => setKey(e.currentTarget.value)} error={fieldError(create.error, '/key')} />
          <TextInput label="Name" value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, '/name')} />
          <TextInput label="Environments" value={environments} onChange={(e) => setEnvironments(e.currentTarget.value)} miw={220} />
          <Button type="submit" mt={24} loading={create.isPending}>
            Create project
          </Button>
        </Group>
        <FormProblem error={create.error} />
      </form>
      {loading ? (
        <Loading />
      ) : (
        <Table striped aria-label="Projects">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Project</Table.Th>
              <Table.Th>Name</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {projects.map((p) => (
              <Table.Tr key={p.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/projects/${p.key}/flags`}>
                    {p.key}
                  </Anchor>
                </Table.Td>
                <Table.Td>{p.name}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
