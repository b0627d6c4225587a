import type { TypedDocumentString } from './gql/graphql';
import { loadSession } from './auth';

export interface ApiError {
  message: string;
  code: string;
  field?: string;
  extensions: Record<string, unknown>;
}

export class GraphQLRequestError extends Error {
  constructor(readonly errors: ApiError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
  get code(): string {
    return this.errors[0]?.code ?? 'UNKNOWN';
  }
}

/** One operation over POST /graphql with the session's key: typed by the generated document. */
export async function gql<R, V>(doc: TypedDocumentString<R, V>, variables?: V, token = loadSession()?.token): Promise<R> {
  const query = doc.toString();
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: R; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  try {
    body = await res.json();
  } catch {
    throw new GraphQLRequestError([{ message: `HTTP ${res.status}`, code: 'HTTP_' + res.status, extensions: {} }]);
  }
  if (body.errors?.length) {
    throw new GraphQLRequestError(
      body.errors.map((e) => ({
        message: e.message,
        code: String(e.extensions?.code ?? 'UNKNOWN'),
        field: e.extensions?.field as string | undefined,
        extensions: e.extensions ?? {},
      })),
    );
  }
  return body.data as R;
}

/** A file download that needs the key (the report exports): fetched, then saved from a blob. */
export async function download(path: string, filename: string): Promise<void> {
  const token = loadSession()?.token;
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new GraphQLRequestError(body?.errors ?? [{ message: `HTTP ${res.status}`, code: `HTTP_${res.status}`, extensions: {} }]);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
