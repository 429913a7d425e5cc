/**
 * RFC 9457 problems, parsed once. The server names every bad field with a JSON pointer into the request body
 * (`errors: [{pointer, detail}]`); screens ask for the message of the field they render with {@link fieldError}.
 */

export interface InvalidField {
  pointer: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors: InvalidField[];
}

/** A failed API call: the HTTP status and the problem the server sent (or one made up for a network failure). */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
    this.status = problem.status;
    this.problem = problem;
  }

  /** 412: the entity changed since it was read (a stale If-Match). */
  get isConflict(): boolean {
    return this.status === 412;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

/** Reads a problem from any error body; tolerant of servers and proxies that send HTML or nothing. */
export function toProblem(status: number, body: unknown, statusText = ''): Problem {
  const object = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const errors = Array.isArray(object.errors)
    ? object.errors
        .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
        .map((e) => ({ pointer: String(e.pointer ?? ''), detail: String(e.detail ?? '') }))
    : [];
  return {
    type: typeof object.type === 'string' ? object.type : 'about:blank',
    title: typeof object.title === 'string' ? object.title : statusText || `HTTP ${status}`,
    status: typeof object.status === 'number' ? object.status : status,
    detail:
      typeof object.detail === 'string'
        ? object.detail
        : typeof body === 'string' && body.length > 0 && body.length < 300
          ? body
          : statusText || `the server answered ${status}`,
    errors,
  };
}

export function asApiError(error: unknown): ApiError | null {
  return error instanceof ApiError ? error : null;
}

/**
 * The message for the field at `pointer`: the error naming exactly it or something inside it (`/rules/0/conditions/0`
 * shows the problems of `/rules/0/conditions/0/values/1` too). Returns undefined when the field is fine.
 */
export function fieldError(error: unknown, pointer: string): string | undefined {
  const api = asApiError(error);
  if (!api) return undefined;
  const messages = api.problem.errors
    .filter((e) => e.pointer === pointer || e.pointer.startsWith(pointer + '/'))
    .map((e) => (e.pointer === pointer ? e.detail : `${e.pointer.slice(pointer.length + 1)}: ${e.detail}`));
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** Field errors re-rooted under `prefix` (e.g. a preview's `/draft/configuration` → the editor's own pointers). */
export function rebase(error: unknown, prefix: string): ApiError | null {
  const api = asApiError(error);
  if (!api) return null;
  const errors = api.problem.errors
    .filter((e) => e.pointer === prefix || e.pointer.startsWith(prefix + '/'))
    .map((e) => ({ ...e, pointer: e.pointer.slice(prefix.length) }));
  return new ApiError({ ...api.problem, errors });
}

/** A map of pointer → message, for client-side checks that speak the same language as the server. */
export type FieldErrors = Record<string, string>;

/** Client-side findings as an ApiError-like value so the same `fieldError` reads both. */
export function localErrors(errors: FieldErrors): ApiError | null {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return new ApiError({
    type: 'about:blank',
    title: 'Invalid input',
    status: 400,
    detail: entries.length === 1 ? entries[0][1] : `${entries.length} fields are invalid`,
    errors: entries.map(([pointer, detail]) => ({ pointer, detail })),
  });
}

/** Several sources of field errors (the last save, the live preview, local checks) read as one. */
export function mergeErrors(...sources: unknown[]): ApiError | null {
  const errors = sources.flatMap((s) => asApiError(s)?.problem.errors ?? []);
  if (errors.length === 0) return null;
  const first = sources.map(asApiError).find((e) => e !== null)!;
  return new ApiError({ ...first.problem, errors });
}
