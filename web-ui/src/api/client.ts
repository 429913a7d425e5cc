import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, toProblem } from './problem';

/**
 * The one typed client for the admin API: paths, parameters and bodies come from the server's OpenAPI document
 * (docs/openapi.json → schema.d.ts), so a renamed field fails `tsc`, not a page.
 *
 * Cookies carry the console session. For cookie-authenticated writes the server sets a JS-readable `XSRF-TOKEN`
 * cookie that must come back as the `X-XSRF-TOKEN` header (CSRF protection); it is sent whenever the cookie exists.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function readCookie(name: string): string | undefined {
  const prefix = name + '=';
  for (const part of document.cookie.split(';')) {
    const trimmed = part.trim();
    if (trimmed.startsWith(prefix)) return decodeURIComponent(trimmed.slice(prefix.length));
  }
  return undefined;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (UNSAFE.has(request.method)) {
      const token = readCookie('XSRF-TOKEN');
      if (token) request.headers.set('X-XSRF-TOKEN', token);
    }
    return request;
  },
};

/** Everyone who must know that the session ended (the app sends the person to sign in, then back). */
const unauthorizedListeners = new Set<() => void>();

export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const problems: Middleware = {
  async onResponse({ request, response }) {
    if (response.ok) return response;
    const text = await response.clone().text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: a proxy's HTML page or an empty body; toProblem copes
    }
    const error = new ApiError(toProblem(response.status, body, response.statusText));
    const isSignIn = request.url.endsWith('/api/v1/session');
    if (error.isUnauthorized && !isSignIn) unauthorizedListeners.forEach((listener) => listener());
    throw error;
  },
  onError({ error }) {
    return new ApiError(
      toProblem(0, undefined, `the server could not be reached (${error instanceof Error ? error.message : String(error)})`),
    );
  },
};

api.use(csrf, problems);

/** The data of a successful call (errors were thrown as ApiError by the middleware). */
export async function data<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const result = await call;
  return result.data as T;
}

/**
 * An audit comment as a header. Header values are Latin-1; anything else goes as an RFC 8187 extended value, which
 * the server decodes.
 */
export function commentHeader(comment: string | undefined): Record<string, string> {
  const text = comment?.trim();
  if (!text) return {};
  // eslint-disable-next-line no-control-regex
  const latin1 = /^[\x20-\x7e\xa0-\xff]*$/.test(text);
  return { 'X-Dimmer-Comment': latin1 && !text.startsWith("UTF-8''") ? text : "UTF-8''" + encodeURIComponent(text) };
}
