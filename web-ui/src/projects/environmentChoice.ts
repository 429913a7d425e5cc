import type { EnvironmentView } from '../api/types';

/** The environment a person last worked in for a project, remembered in this browser. */
export function preferredEnvironment(project: string, environments: EnvironmentView[]): string | undefined {
  const remembered = localStorage.getItem(`dimmer.environment.${project}`);
  if (remembered && environments.some((e) => e.key === remembered)) return remembered;
  return environments.find((e) => e.key === 'production')?.key ?? environments[0]?.key;
}

export function rememberEnvironment(project: string, environment: string) {
  localStorage.setItem(`dimmer.environment.${project}`, environment);
}
