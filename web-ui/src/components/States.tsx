import type { ReactNode } from 'react';
import { Alert, Center, Loader, Stack, Text } from '@mantine/core';
import { asApiError } from '../api/problem';

export function Loading({ label = 'Loading' }: { label?: string }) {
  return (
    <Center p="xl" role="status" aria-live="polite">
      <Loader size="sm" aria-hidden />
      <Text ml="sm" size="sm" c="dimmed">
        {label}…
      </Text>
    </Center>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Stack align="center" p="xl" gap={4}>
      <Text fw={600}>{title}</Text>
      {children && (
        <Text size="sm" c="dimmed" ta="center">
          {children}
        </Text>
      )}
    </Stack>
  );
}

/** A problem that belongs to no field: its title and detail, and any field errors nobody on screen shows. */
export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const api = asApiError(error);
  return (
    <Alert color="red" role="alert" title={title ?? api?.problem.title ?? 'Something went wrong'}>
      {api ? api.problem.detail : error instanceof Error ? error.message : String(error)}
    </Alert>
  );
}

/** A form's problem that no field shows: shown only when the server named no field (field errors sit by their inputs). */
export function FormProblem({ error }: { error: unknown }) {
  const api = asApiError(error);
  if (!error || (api && api.problem.errors.length > 0)) return null;
  return <ProblemAlert error={error} title="Not saved" />;
}
