import { useEffect, useState } from 'react';
import { Badge, Group, Paper, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { ConfigurationUpdate } from '../api/types';
import { useDraftPreview } from '../evaluate/useEvaluate';
import { percent } from './splits';

interface Props {
  project: string;
  environment: string;
  flag: string;
  draft: ConfigurationUpdate;
  treatments: string[];
  /** The preview's validation answer (pointers under /draft/configuration), for the editor to show on fields. */
  onProblem: (error: unknown) => void;
}

const SAMPLE = 2000;
const COLORS = ['blue', 'orange', 'teal', 'grape', 'yellow', 'pink', 'cyan', 'lime'];

/**
 * Who lands where with the configuration being edited, before it is saved: the server evaluates the draft with the
 * SDKs' engine for one key (with attributes) and for 2,000 synthetic keys.
 */
export default function PreviewPanel({ project, environment, flag, draft, treatments, onProblem }: Props) {
  const [key, setKey] = useState('alice');
  const [attributes, setAttributes] = useState('');
  const [debounced] = useDebouncedValue({ draft, key, attributes }, 300);
  const parsed = parseAttributes(debounced.attributes);
  const input =
    debounced.key && parsed.ok
      ? { key: debounced.key, attributes: parsed.value, flags: [flag], draft: { flag, configuration: debounced.draft }, sample: SAMPLE }
      : null;
  const { preview, error, fetching } = useDraftPreview(project, environment, input);
  useEffect(() => onProblem(error), [error, onProblem]);
  const result = preview?.results[0];
  const tally = preview?.samples[0];

  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="preview-title">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h5" id="preview-title">
            Live preview
          </Title>
          <Text size="xs" c="dimmed" aria-live="polite">
            {fetching ? 'evaluating…' : error ? 'fix the highlighted fields' : 'unsaved changes included'}
          </Text>
        </Group>
        <Group gap="xs" grow>
          <TextInput size="xs" label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} />
          <TextInput
            size="xs"
            label="Attributes (JSON)"
            placeholder='{"country": "NO"}'
            value={attributes}
            onChange={(e) => setAttributes(e.currentTarget.value)}
            error={parsed.ok ? undefined : parsed.error}
          />
        </Group>
        {result && (
          <Text size="sm" data-testid="preview-result">
            <b>{preview?.key}</b> gets <Badge variant="light">{result.treatment}</Badge> because{' '}
            <code>{result.label}</code> ({result.reason})
          </Text>
        )}
        {tally && tally.size > 0 && (
          <Stack gap={4}>
            <Text size="xs" c="dimmed">
              Of {tally.size.toLocaleString()} sample keys with these attributes:
            </Text>
            <Progress.Root size="lg">
              {Object.entries(tally.treatments).map(([treatment, count]) => (
                <Progress.Section
                  key={treatment}
                  aria-label={`Share of sample keys getting ${treatment}`}
                  value={(100 * count) / tally.size}
                  color={COLORS[Math.max(0, treatments.indexOf(treatment)) % COLORS.length]}
                />
              ))}
            </Progress.Root>
            <Group gap="xs" data-testid="preview-tally">
              {Object.entries(tally.treatments).map(([treatment, count]) => (
                <Text key={treatment} size="xs">
                  {treatment}: {percent(Math.round((10000 * count) / tally.size))}
                </Text>
              ))}
            </Group>
            <Text size="xs" c="dimmed">
              {Object.entries(tally.labels)
                .map(([label, count]) => `${label} ${percent(Math.round((10000 * count) / tally.size))}`)
                .join(' · ')}
            </Text>
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}

function parseAttributes(text: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: string } {
  if (!text.trim()) return { ok: true, value: {} };
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'must be a JSON object' };
    return { ok: true, value };
  } catch {
    return { ok: false, error: 'is not valid JSON' };
  }
}
