/**
 * HTTP towards peers. With a client certificate configured, the node presents it
 * to peers that require mutual TLS; with a federation CA, peers' server
 * certificates may be signed by it as well as by the system's authorities.
 * Without either, the platform's own `fetch`.
 */
import { rootCertificates } from "node:tls";
import { Agent, fetch as undiciFetch } from "undici";
import type { Config } from "../config.ts";

export interface PeerRequest {
  method?: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}
export type PeerFetch = (url: URL, init?: PeerRequest) => Promise<Response>;

const clients = new WeakMap<Config["federation"]["client"], PeerFetch>();

/** The `fetch` a node uses to reach its peers (one connection pool per configuration). */
export function peerFetch(config: Config): PeerFetch {
  const tls = config.federation.client;
  const known = clients.get(tls);
  if (known) return known;
  let f: PeerFetch = (url, init) => fetch(url, init);
  if (tls.cert || tls.ca) {
    const dispatcher = new Agent({
      connect: {
        ...(tls.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
        ...(tls.ca ? { ca: [...rootCertificates, tls.ca.toString("utf8")] } : {}),
      },
    });
    // undici's Response is the platform's Response (Node's fetch is undici); only the types differ.
    f = async (url, init) => (await undiciFetch(url, { ...init, dispatcher })) as unknown as Response;
  }
  clients.set(tls, f);
  return f;
}
