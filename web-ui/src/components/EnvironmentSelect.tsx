import { Select } from '@mantine/core';
import { useEffect } from 'react';
import { useSearchParams } from 'react-router';
import { useEnvironments } from '../projects/useProjects';
import { preferredEnvironment, rememberEnvironment } from '../projects/environmentChoice';

/** The environment a project screen shows, kept in the address (`?env=`) so a link shows the same thing. */
export function useEnvironmentParam(project: string): [string | undefined, (env: string) => void] {
  const [params, setParams] = useSearchParams();
  const { environments } = useEnvironments(project);
  const active = environments.filter((e) => !e.archived);
  const env = params.get('env') ?? undefined;
  const chosen = env && active.some((e) => e.key === env) ? env : preferredEnvironment(project, active);
  useEffect(() => {
    if (chosen && chosen !== env) setParams((p) => (p.set('env', chosen), p), { replace: true });
  }, [chosen, env, setParams]);
  return [
    chosen,
    (next: string) => {
      rememberEnvironment(project, next);
      setParams((p) => (p.set('env', next), p));
    },
  ];
}

export default function EnvironmentSelect({ project, value, onChange }: { project: string; value?: string; onChange: (env: string) => void }) {
  const { environments } = useEnvironments(project);
  return (
    <Select
      label="Environment"
      data={environments.filter((e) => !e.archived).map((e) => ({ value: e.key, label: e.name || e.key }))}
      value={value ?? null}
      onChange={(env) => env && onChange(env)}
      allowDeselect={false}
      w={200}
    />
  );
}
