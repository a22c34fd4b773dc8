/** The OpenAPI document, generated from the same zod schemas that validate requests. */

import { SecretBox } from "../platform/auth/crypto.ts";
import { loadConfig } from "../platform/config.ts";
import type { Db } from "../platform/db/index.ts";
import { buildApp } from "./app.ts";

/** Build the app without a database (no request is served) and return its OpenAPI 3.1 document. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  const config = loadConfig({ ARIADNE_MODE: "sandbox", LOG_LEVEL: "silent" });
  const { app } = await buildApp({
    config,
    db: {} as Db,
    box: new SecretBox(Buffer.alloc(32)),
    logger: false,
  });
  const doc = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return doc;
}
