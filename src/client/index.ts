/**
 * The one typed client of the node's API, generated from the OpenAPI document
 * (`npm run gen:client` writes schema.d.ts; a test fails when it drifts).
 * Used by the web app; usable by any TypeScript caller with a session or a token.
 */
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "./schema";

export type { paths };

export interface ClientOptions {
  baseUrl?: string;
  /** An API token (`ariadne_…`) for machine clients. */
  token?: string;
  /** Returns the session's CSRF token, sent on every write from a browser session. */
  csrf?: () => string | undefined;
  fetch?: typeof fetch;
}

export function createApiClient(opts: ClientOptions = {}) {
  const client = createClient<paths>({
    baseUrl: opts.baseUrl ?? "",
    credentials: "same-origin",
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  });
  const auth: Middleware = {
    onRequest({ request }) {
      if (opts.token) request.headers.set("authorization", `Bearer ${opts.token}`);
      const csrf = opts.csrf?.();
      if (csrf && !["GET", "HEAD"].includes(request.method)) request.headers.set("x-csrf-token", csrf);
      return request;
    },
  };
  client.use(auth);
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;
