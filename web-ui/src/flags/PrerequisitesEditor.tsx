import { Button, Group, MultiSelect, Select, Stack, Text } from '@mantine/core';
import type { FlagSummary, Prerequisite } from '../api/types';
import { fieldError } from '../api/problem';

interface Props {
  prerequisites: Prerequisite[];
  onChange: (prerequisites: Prerequisite[]) => void;
  flags: FlagSummary[];
  self: string;
  errors: unknown;
  readOnly?: boolean;
}

/** This flag is on for a key only if each prerequisite flag gives that key one of the listed treatments. */
export default function PrerequisitesEditor({ prerequisites, onChange, flags, self, errors, readOnly }: Props) {
  const others = flags.filter((f) => f.flag.key !== self);
  const treatmentsOf = (key: string) => others.find((f) => f.flag.key === key)?.flag.treatments.map((t) => t.name) ?? [];
  return (
    <Stack gap="xs">
      {prerequisites.length === 0 && (
        <Text size="sm" c="dimmed">
          None.
        </Text>
      )}
      {prerequisites.map((p, i) => (
        <Group key={i} gap="xs" align="flex-start">
          <Select
            size="xs"
            label={`Prerequisite ${i + 1}: flag`}
            data={others.map((f) => f.flag.key)}
            value={p.flag || null}
            searchable
            disabled={readOnly}
            onChange={(flag) => flag && onChange(prerequisites.map((old, j) => (j === i ? { flag, treatments: [] } : old)))}
            error={fieldError(errors, `/prerequisites/${i}/flag`)}
          />
          <MultiSelect
            size="xs"
            label={`Prerequisite ${i + 1}: treatments`}
            data={treatmentsOf(p.flag)}
            value={p.treatments}
            disabled={readOnly}
            onChange={(treatments) => onChange(prerequisites.map((old, j) => (j === i ? { ...old, treatments } : old)))}
            error={fieldError(errors, `/prerequisites/${i}/treatments`) ?? fieldError(errors, `/prerequisites/${i}`)}
            miw={180}
          />
          {!readOnly && (
            <Button size="compact-xs" variant="subtle" color="red" mt={24} onClick={() => onChange(prerequisites.filter((_, j) => j !== i))}>
              Remove prerequisite {i + 1}
            </Button>
          )}
        </Group>
      ))}
      {!readOnly && (
        <Button size="compact-sm" variant="light" w="fit-content" onClick={() => onChange([...prerequisites, { flag: '', treatments: [] }])}>
          Add prerequisite
        </Button>
      )}
    </Stack>
  );
}
