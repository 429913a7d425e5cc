/**
 * A readable difference between two JSON documents (an audit entry's before and after): one line per changed leaf,
 * named by its path (`rules[0].serve.split[0].weight: 500 → 1000`). Bookkeeping fields are left out.
 */
export interface Change {
  path: string;
  before?: string;
  after?: string;
}

const IGNORED = new Set(['version', 'updatedAt', 'createdAt']);

export function diff(before: unknown, after: unknown): Change[] {
  const a = flatten(before);
  const b = flatten(after);
  const paths = [...new Set([...a.keys(), ...b.keys()])];
  return paths
    .filter((path) => a.get(path) !== b.get(path))
    .map((path) => ({ path, before: a.get(path), after: b.get(path) }));
}

function flatten(value: unknown, path = '', out = new Map<string, string>()): Map<string, string> {
  if (Array.isArray(value)) {
    if (value.length === 0 && path) out.set(path, '[]');
    value.forEach((item, i) => flatten(item, `${path}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (IGNORED.has(key) && !path) continue;
      flatten(child, path ? `${path}.${key}` : key, out);
    }
  } else if (value !== undefined && path) {
    out.set(path, JSON.stringify(value));
  }
  return out;
}

/** Basis points read as percentages where the path says they are weights or traffic. */
export function readable(path: string, value: string | undefined): string {
  if (value === undefined) return '—';
  if (/(weight|trafficAllocation)$/.test(path) && /^\d+$/.test(value)) return `${Number(value) / 100}%`;
  return value;
}
