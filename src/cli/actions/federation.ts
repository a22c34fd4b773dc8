/** `ariadne federation rotate-keys` (definition: src/cli/commands/federation.ts). */
import { rotateNodeKeys } from "../../platform/exchange/peers.ts";
import { print, withDb } from "../context.ts";

export async function rotateKeys(o: { db?: string; json?: boolean }) {
  await withDb(o, async (ctx) => {
    const r = await rotateNodeKeys(ctx);
    print(Boolean(o.json), r, () =>
      [
        "keys rotated",
        `  signing fingerprint     ${r.signing}`,
        `  encryption fingerprint  ${r.encryption}`,
        `  old keys accepted until ${r.overlapUntil}`,
      ].join("\n"),
    );
  });
}
