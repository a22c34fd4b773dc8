/** `ariadne classify`, run as a user would run it: one incident as JSON on standard input. */
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../../bin/ariadne.js");

function classify(stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, "classify"], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", fail);
    child.on("close", (code) => done({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("ariadne classify", () => {
  it("classifies a kidnapping for ransom", async () => {
    const r = await classify(
      JSON.stringify({
        victimDetained: true,
        victimMoved: true,
        againstWill: true,
        purpose: "ransom",
        victimAgeYears: 34,
        takenByParentOrGuardian: false,
        context: "none",
      }),
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^\{\n {2}"iccs": "020221",/);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(["iccs", "kidnapping", "type", "reasons"]);
    expect(out).toMatchObject({ iccs: "020221", kidnapping: true, type: "ransom" });
    expect(out.reasons.join("\n")).toMatch(/purpose is ransom/);
  });

  it("says a virtual kidnapping is not an act against liberty", async () => {
    const r = await classify(
      '{"victimDetained":false,"victimMoved":false,"againstWill":true,"purpose":"ransom","victimAgeYears":null}',
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ iccs: null, kidnapping: false, type: "virtual" });
    expect(out.reasons[0]).toMatch(/^victimDetained is false/);
  });

  it("refuses a contradiction with exit code 2, naming the field on stdout and stderr", async () => {
    const r = await classify(
      '{"victimDetained":false,"victimMoved":false,"againstWill":true,"purpose":"ransom","context":"express_atm"}',
    );
    expect(r.code).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe("validation_failed");
    expect(out.error.fields.map((f: { path: string }) => f.path)).toEqual(["context"]);
    expect(out.error.fields[0].message).toMatch(/virtual kidnapping/);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: .*context express_atm/);
  });

  it("refuses malformed JSON with exit code 2", async () => {
    const r = await classify("{not json");
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe("validation_failed");
    expect(r.stderr).toMatch(/not valid JSON/);
  });

  it("lists the input fields in --help", async () => {
    const r = await new Promise<string>((done, fail) => {
      const child = spawn(process.execPath, [BIN, "classify", "--help"]);
      let out = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        out += d;
      });
      child.on("error", fail);
      child.on("close", () => done(out));
    });
    for (const f of [
      "victimDetained",
      "victimMoved",
      "againstWill",
      "purpose",
      "victimAgeYears",
      "takenByParentOrGuardian",
      "context",
    ])
      expect(r).toContain(f);
  });
});
