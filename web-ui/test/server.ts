/**
 * A stand-in for the server in component tests: answers are queued per test and every request is recorded. It is
 * installed from setup.ts, before any module loads, because the typed client reads fetch and Request when it is
 * created. Node's Request wants absolute URLs while the console calls its own origin with relative ones.
 */
export interface RecordedCall {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

interface Route {
  method: string;
  path: string;
  answer: () => Response;
}

/** Answers by method and path (`server.on`, the latest for a path wins, used for every matching call), else the queue of answers in order. */
export const server = {
  calls: [] as RecordedCall[],
  answers: [] as Response[],
  routes: [] as Route[],
  on(method: string, path: string, answer: () => Response) {
    this.routes.push({ method, path, answer });
  },
};

const NativeRequest = globalThis.Request;
globalThis.Request = class extends NativeRequest {
  constructor(input: RequestInfo | URL, init?: RequestInit) {
    super(typeof input === 'string' ? new URL(input, 'http://console.test/').href : input, init);
  }
} as typeof Request;

globalThis.fetch = (async (input: Request | string, init?: RequestInit) => {
  const request = input instanceof Request ? input : new Request(input, init);
  const text = await request.text();
  const url = new URL(request.url);
  server.calls.push({
    method: request.method,
    url: url.pathname + url.search,
    headers: Object.fromEntries(request.headers.entries()),
    body: text ? JSON.parse(text) : undefined,
  });
  const route = [...server.routes].reverse().find((r) => r.method === request.method && r.path === url.pathname);
  const answer = route ? route.answer() : server.answers.shift();
  if (!answer) throw new Error(`unexpected ${request.method} ${request.url}`);
  return answer;
}) as typeof globalThis.fetch;

export function json(status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}

export function resetServer() {
  server.calls.length = 0;
  server.answers.length = 0;
  server.routes.length = 0;
}
