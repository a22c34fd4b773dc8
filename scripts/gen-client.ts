// Regenerate src/client/schema.d.ts from the OpenAPI document (`npm run gen:client`).
import { writeFileSync } from "node:fs";
import { CLIENT_SCHEMA_FILE, generateClientSchema } from "../src/server/client-schema.ts";

writeFileSync(CLIENT_SCHEMA_FILE, await generateClientSchema());
process.stdout.write(`wrote ${CLIENT_SCHEMA_FILE}\n`);
