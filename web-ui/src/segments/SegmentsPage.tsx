import { useState } from 'react';
import { useParams } from 'react-router';
import { Button, Group, Modal, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { fieldError } from '../api/problem';
import { Empty, FormProblem, Loading, ProblemAlert } from '../components/States';
import EnvironmentSelect, { useEnvironmentParam } from '../components/EnvironmentSelect';
import { canEdit, useSession } from '../session/useSession';
import { useArchiveSegment, useCreateSegment, useSegments } from './useSegments';

/** Segments of one environment: explicit key lists (up to 100 000 keys) that rules target with "is in segment". */
export default function SegmentsPage() {
  const { project = '' } = useParams();
  const [environment, setEnvironment] = useEnvironmentParam(project);
  const { session } = useSession();
  const { segments, loading, error } = useSegments(project, environment);
  const archive = useArchiveSegment(project, environment ?? '');
  const [open, setOpen] = useState(false);
  const editable = canEdit(session, project);
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <Title order={1} size="h2">
          Segments
        </Title>
        <Group align="flex-end">
          <EnvironmentSelect project={project} value={environment} onChange={setEnvironment} />
          {editable && environment && <Button onClick={() => setOpen(true)}>New segment</Button>}
        </Group>
      </Group>
      <ProblemAlert error={error ?? archive.error} />
      {loading ? (
        <Loading />
      ) : segments.length === 0 ? (
        <Empty title="No segments in this environment">A segment groups keys (staff, beta testers) for rules to target.</Empty>
      ) : (
        <Table.ScrollContainer minWidth={500}>
          <Table striped aria-label="Segments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Segment</Table.Th>
                <Table.Th>Keys</Table.Th>
                <Table.Th>Conditions</Table.Th>
                <Table.Th>Updated</Table.Th>
                {editable && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {segments.map((s) => (
                <Table.Tr key={s.key}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {s.key}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {s.description}
                    </Text>
                  </Table.Td>
                  <Table.Td>{s.keyCount.toLocaleString()}</Table.Td>
                  <Table.Td>{s.conditions.length}</Table.Td>
                  <Table.Td>{new Date(s.updatedAt).toLocaleString()}</Table.Td>
                  {editable && (
                    <Table.Td>
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => archive.mutate(s.key)}>
                        Archive {s.key}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {environment && <CreateSegmentModal project={project} environment={environment} opened={open} onClose={() => setOpen(false)} />}
    </Stack>
  );
}

function CreateSegmentModal({ project, environment, opened, onClose }: { project: string; environment: string; opened: boolean; onClose: () => void }) {
  const create = useCreateSegment(project, environment);
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [keys, setKeys] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title={`New segment in ${environment}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const list = keys.split(/[\s,]+/).filter(Boolean);
          create.mutate({ key, description, keys: list }, { onSuccess: () => (onClose(), setKey(''), setKeys(''), create.reset()) });
        }}
      >
        <Stack gap="xs">
          <TextInput label="Key" required value={key} onChange={(e) => setKey(e.currentTarget.value)} error={fieldError(create.error, '/key')} />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fieldError(create.error, '/description')} />
          <Textarea
            label="Keys"
            description="One per line, or separated by commas"
            autosize
            minRows={3}
            value={keys}
            onChange={(e) => setKeys(e.currentTarget.value)}
            error={fieldError(create.error, '/keys')}
          />
          <FormProblem error={create.error} />
          <Button type="submit" loading={create.isPending}>
            Create segment
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
