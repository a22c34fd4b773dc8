import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CLIENT_SCHEMA_FILE, generateClientSchema } from "../../src/server/client-schema.ts";

describe("generated files", () => {
  it("the typed client matches the OpenAPI document (run `npm run gen:client` after changing a route)", async () => {
    const committed = readFileSync(CLIENT_SCHEMA_FILE, "utf8");
    expect(
      committed === (await generateClientSchema()),
      "src/client/schema.d.ts is stale: run `npm run gen:client`",
    ).toBe(true);
  });
});
