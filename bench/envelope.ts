/**
 * `npm run bench:envelope`: the cost of one federation envelope, seal and open,
 * as built (node:crypto Ed25519 + A256GCM under a pairwise `dir` key), against
 * jose with per-message ECDH-ES+A256KW key agreement and jose's Ed25519 — the
 * figures behind the choice recorded in ARCHITECTURE.md. One core, in process.
 */
import { randomUUID } from "node:crypto";
import { CompactEncrypt, CompactSign, compactDecrypt, compactVerify } from "jose";
import { type EnvelopeHeader, open, seal } from "../src/engines/federation/envelope.ts";
import { generateNodeKeys, pairwiseKey } from "../src/engines/federation/keys.ts";

const N = Number(process.env.BENCH_ENVELOPES ?? 5000);
const [col, mex] = await Promise.all([generateNodeKeys(), generateNodeKeys()]);
const pw = pairwiseKey(
  { nodeId: "COL", encryption: col.encryption },
  { nodeId: "MEX", encryptionKey: mex.encryption.publicKey, encryptionKid: mex.encryption.kid },
);
// A notice of realistic size: about 2 KB of JSON.
const body = {
  notice: "abducted-person",
  description: "x".repeat(1800),
  persons: [{ given: "Ana", family: "Ejemplo" }],
};
const header = (): EnvelopeHeader => {
  const id = randomUUID();
  const t = Math.floor(Date.now() / 1000);
  return {
    iss: "COL",
    aud: "MEX",
    jti: id,
    mt: "notice.abducted-person",
    mv: 1,
    iat: t,
    exp: t + 3600,
    thr: id,
    tlp: "amber",
    hc: ["H0"],
  };
};

async function measure(label: string, fn: () => unknown | Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn(); // warm-up
  const t = performance.now();
  for (let i = 0; i < N; i++) await fn();
  const rate = N / ((performance.now() - t) / 1000);
  process.stdout.write(`${label.padEnd(58)} ${rate.toFixed(0).padStart(7)} /s\n`);
  return rate;
}

const sealOne = () =>
  seal({
    header: header(),
    body,
    signingKey: col.signing.privateKey,
    signingKid: col.signing.kid,
    pairwise: pw,
  });
const token = sealOne();
const opts = {
  self: "MEX",
  signingKeyOf: () => col.signing.publicKey,
  pairwiseKeyOf: () => pw.key,
  accepts: () => true,
  maxSkewSeconds: 120,
  maxBytes: 1 << 20,
};
const enc = new TextEncoder();
const joseSeal = async () => {
  const jwe = await new CompactEncrypt(enc.encode(JSON.stringify(body)))
    .setProtectedHeader({ alg: "ECDH-ES+A256KW", enc: "A256GCM" })
    .encrypt(mex.encryption.publicKey);
  return new CompactSign(enc.encode(jwe))
    .setProtectedHeader({ alg: "EdDSA", ...header() })
    .sign(col.signing.privateKey);
};
const joseToken = await joseSeal();
const joseOpen = async () => {
  const { payload } = await compactVerify(joseToken, col.signing.publicKey);
  return compactDecrypt(new TextDecoder().decode(payload), mex.encryption.privateKey);
};

process.stdout.write(`\nAriadne federation envelope (${N} messages of ~2 KB, one core)\n`);
const a = await measure("seal: node:crypto EdDSA over dir/A256GCM (as built)", sealOne);
const b = await measure("open: node:crypto EdDSA over dir/A256GCM (as built)", () => open(token, opts));
const c = await measure("seal: jose EdDSA over ECDH-ES+A256KW/A256GCM", joseSeal);
const d = await measure("open: jose EdDSA over ECDH-ES+A256KW/A256GCM", joseOpen);
process.stdout.write(
  `seal+open round trip: as built ${(1 / (1 / a + 1 / b)).toFixed(0)} /s, jose per-message ${(1 / (1 / c + 1 / d)).toFixed(0)} /s\n`,
);
