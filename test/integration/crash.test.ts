/**
 * A node killed in the middle of writing (SIGKILL: no shutdown hooks, no final
 * seal) starts again on the same embedded database, loses no committed entry
 * and keeps an intact audit chain.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../../bin/ariadne.js");
const dir = mkdtempSync(join(tmpdir(), "ariadne-crash-"));
const env = { ...process.env, ARIADNE_DATA_DIR: join(dir, "node"), LOG_LEVEL: "silent", DATABASE_URL: "" };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

async function startSandboxNode(port: number): Promise<ChildProcess> {
  // One sandbox node (`serve --sandbox`) on ARIADNE_DATA_DIR; `ariadne sandbox` would start four.
  const child = spawn(process.execPath, [BIN, "serve", "--sandbox", "--port", String(port)], {
    env,
    stdio: "ignore",
  });
  children.push(child);
  // A first start creates the database and the demo data: generous on a busy machine.
  const deadline = Date.now() + 150_000;
  while (Date.now() < deadline) {
    const ok = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return child;
    if (child.exitCode !== null)
      throw new Error(`the node exited with ${child.exitCode} before it was ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("the node did not become ready");
}

const exited = (c: ChildProcess) =>
  c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise((r) => c.once("exit", r));

const failedLogin = (port: number) =>
  fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: "analyst", password: "not-the-password" }),
  }).then(
    (r) => r.status,
    () => 0,
  );

describe("a crash in the middle", () => {
  it("loses no committed audit entry and leaves the chain intact", async () => {
    const port = 3900 + Math.floor(Math.random() * 90);
    const first = await startSandboxNode(port);
    const answered = await Promise.all(Array.from({ length: 4 }, () => failedLogin(port)));
    expect(answered.every((s) => s === 401 || s === 429)).toBe(true);
    // More writes in flight, then the process is killed without any chance to clean up.
    const inFlight = Array.from({ length: 20 }, () => failedLogin(port));
    first.kill("SIGKILL");
    await Promise.all(inFlight);
    await exited(first);

    const second = await startSandboxNode(port);
    second.kill("SIGTERM");
    await exited(second);

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, "audit", "verify", "--db", env.ARIADNE_DATA_DIR, "--json"],
      { env },
    );
    const result = JSON.parse(stdout);
    expect(result.ok).toBe(true);
    expect(result.pending).toBe(0);
    // The four answered failures were committed before the kill: they must all be there.
    const { stdout: exported } = await promisify(execFile)(
      process.execPath,
      [BIN, "audit", "export", "--db", env.ARIADNE_DATA_DIR],
      { env },
    );
    const failures = exported
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l))
      .filter((e) => e.event === "auth.login_failed");
    expect(failures.length).toBeGreaterThanOrEqual(4);
  }, 240_000);
});
