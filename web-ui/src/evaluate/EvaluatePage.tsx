import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { Anchor, Badge, Button, Group, Stack, Table, Textarea, TextInput, Title, Text } from '@mantine/core';
import { fieldError } from '../api/problem';
import { FormProblem } from '../components/States';
import EnvironmentSelect, { useEnvironmentParam } from '../components/EnvironmentSelect';
import { useEvaluate } from './useEvaluate';

/** "Why did key K get treatment T": the server's engine (the SDKs' own) answers with the label and reason. */
export default function EvaluatePage() {
  const { project = '' } = useParams();
  const [environment, setEnvironment] = useEnvironmentParam(project);
  const evaluate = useEvaluate(project, environment ?? '');
  const [key, setKey] = useState('');
  const [attributes, setAttributes] = useState('');
  const [flag, setFlag] = useState('');
  const [jsonError, setJsonError] = useState<string>();

  function submit() {
    let parsed: Record<string, unknown> = {};
    if (attributes.trim()) {
      try {
        parsed = JSON.parse(attributes);
        setJsonError(undefined);
      } catch {
        setJsonError('is not valid JSON');
        return;
      }
    }
    evaluate.mutate({ key, attributes: parsed, flags: flag ? [flag] : undefined });
  }

  const results = evaluate.data?.results ?? [];
  return (
    <Stack>
      <Title order={1} size="h2">
        Why did a key get its treatment?
      </Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="xs" maw={640}>
          <EnvironmentSelect project={project} value={environment} onChange={setEnvironment} />
          <TextInput label="Key" required value={key} onChange={(e) => setKey(e.currentTarget.value)} error={fieldError(evaluate.error, '/key')} />
          <Textarea
            label="Attributes (JSON)"
            placeholder='{"email": "alice@example.com", "country": "NO"}'
            autosize
            minRows={2}
            value={attributes}
            onChange={(e) => setAttributes(e.currentTarget.value)}
            error={jsonError ?? fieldError(evaluate.error, '/attributes')}
          />
          <TextInput label="Only this flag (optional)" value={flag} onChange={(e) => setFlag(e.currentTarget.value)} />
          <FormProblem error={evaluate.error} />
          <Button type="submit" w="fit-content" loading={evaluate.isPending}>
            Evaluate
          </Button>
        </Stack>
      </form>
      {evaluate.data && (
        <>
          <Text size="sm" c="dimmed">
            {evaluate.data.key} in {evaluate.data.environment} at change {evaluate.data.changeNumber}
          </Text>
          <Table.ScrollContainer minWidth={520}>
            <Table striped aria-label="Evaluation results">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Flag</Table.Th>
                  <Table.Th>Treatment</Table.Th>
                  <Table.Th>Because</Table.Th>
                  <Table.Th>Reason</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((r) => (
                  <Table.Tr key={r.flag}>
                    <Table.Td>
                      <Anchor component={Link} to={`/projects/${project}/flags/${r.flag}/${environment}/targeting`}>
                        {r.flag}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="light">{r.treatment}</Badge>
                    </Table.Td>
                    <Table.Td>
                      <code>{r.label}</code>
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {r.reason}
                        {r.errorCode && <Badge color="red">{r.errorCode}</Badge>}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
