import type { Problem } from './api-types.js';

/** A refused or failed request, carrying the problem document's code and message. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }
}

function isProblem(body: unknown): body is Problem {
  return typeof body === 'object' && body !== null && 'detail' in body && 'code' in body;
}

async function problemOf(response: Response): Promise<ApiProblem> {
  const text = await response.text();
  try {
    const body: unknown = JSON.parse(text);
    if (isProblem(body)) return new ApiProblem(response.status, body.code, body.detail);
  } catch {
    // Not JSON (a proxy's error page, say): the status line is all there is to say.
  }
  return new ApiProblem(
    response.status,
    `HTTP_${response.status}`,
    `${response.status} ${response.statusText}`,
  );
}

/**
 * Every call the dashboard makes to the API: the key as a bearer token, problems as ApiProblem. A 401
 * means the key is no good (any more): `onUnauthorized` sends the user back to sign in.
 */
export class ApiClient {
  constructor(
    private readonly key: string,
    private readonly onUnauthorized: (problem: ApiProblem) => void,
  ) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.key}`);
    const response = await fetch(path, { ...init, headers });
    if (response.ok) return response;
    const problem = await problemOf(response);
    if (response.status === 401) this.onUnauthorized(problem);
    throw problem;
  }

  async json<T>(path: string): Promise<T> {
    const response = await this.fetch(path, { headers: { accept: 'application/json' } });
    return (await response.json()) as T;
  }

  async send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await this.fetch(path, {
      method,
      ...(body === undefined
        ? {}
        : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    return (await response.json()) as T;
  }
}
