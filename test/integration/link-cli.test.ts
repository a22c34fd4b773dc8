/** `ariadne link`, run as a user would run it, on slices of the FEBRL data and on small CSVs. */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../../bin/ariadne.js");
const FEBRL = resolve(import.meta.dirname, "../../reference-data/febrl");

function ariadne(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
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
  });
}

const entity = (id: string) => id.split("-")[1];

let dir: string;
let left: string;
let right: string;
let expected: Set<string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "ariadne-link-"));
  // FEBRL dataset 1 as it is: 150 originals on the left; the duplicates of the first 100 of
  // them, and 50 duplicates whose original is not on the left, on the right.
  const lines = readFileSync(join(FEBRL, "dataset1.csv"), "utf8").trim().split("\n");
  const header = lines[0] ?? "";
  const orgs = lines.slice(1).filter((l) => /^rec-\d+-org,/.test(l));
  const dups = lines.slice(1).filter((l) => /^rec-\d+-dup-\d+,/.test(l));
  const leftOrgs = orgs.slice(0, 150);
  const wanted = new Set(leftOrgs.slice(0, 100).map((l) => entity(l.split(",")[0] ?? "")));
  const onLeft = new Set(leftOrgs.map((l) => entity(l.split(",")[0] ?? "")));
  const rightDups = [
    ...dups.filter((l) => wanted.has(entity(l.split(",")[0] ?? ""))),
    ...dups.filter((l) => !onLeft.has(entity(l.split(",")[0] ?? ""))).slice(0, 50),
  ];
  expected = new Set(
    rightDups
      .map((l) => l.split(",")[0] ?? "")
      .filter((id) => wanted.has(entity(id)))
      .map((id) => `rec-${entity(id)}-org,${id}`),
  );
  left = join(dir, "left.csv");
  right = join(dir, "right.csv");
  writeFileSync(left, `${[header, ...leftOrgs].join("\n")}\n`);
  writeFileSync(right, `${[header, ...rightDups].join("\n")}\n`);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pairsOf(stdout: string): { pairs: Set<string>; scores: number[] } {
  const [head, ...rows] = stdout.trim().split("\n");
  expect(head).toBe("left_id,right_id,score");
  return {
    pairs: new Set(rows.map((r) => r.split(",").slice(0, 2).join(","))),
    scores: rows.map((r) => Number(r.split(",")[2])),
  };
}

describe("ariadne link", () => {
  it.each(["private", "clear"])("links FEBRL originals to their duplicates (%s mode)", async (mode) => {
    const r = await ariadne(["link", "--mode", mode, "--left", left, "--right", right, "--id", "rec_id"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(""); // no progress bar when standard error is not a terminal
    const { pairs, scores } = pairsOf(r.stdout);
    const correct = [...pairs].filter((p) => expected.has(p)).length;
    expect(expected.size).toBeGreaterThanOrEqual(100);
    expect(correct / pairs.size).toBe(1); // precision
    expect(correct / expected.size).toBeGreaterThanOrEqual(0.98); // recall
    for (const s of scores) expect(s).toBeGreaterThanOrEqual(mode === "private" ? 0.7 : 0.5);
  });

  it("takes a threshold, mapped columns and headers of its own", async () => {
    const a = join(dir, "a.csv");
    const b = join(dir, "b.csv");
    writeFileSync(
      a,
      'ref,first,last,born\nS1,"María José","Núñez García",1984-03-21\nS2,Pedro,Ramírez,1990-11-02\n',
    );
    writeFileSync(
      b,
      'ref,first,last,born\nP9,"Nunez Garcia","Maria Jose",21/03/1984\nP8,Lucía,Fernández,2001-01-01\nP7,Александр,Пушкин,1799-06-06\n',
    );
    const args = [
      "link",
      "--left",
      a,
      "--right",
      b,
      "--id",
      "ref",
      "--map",
      "given=first",
      "--map",
      "surname=last",
    ];
    const r = await ariadne([...args, "--map", "dob=born", "--mode", "private", "--threshold", "0.8"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^left_id,right_id,score\nS1,P9,1\.0000\n$/);
    const strict = await ariadne([...args, "--map", "dob=born", "--mode", "clear", "--threshold", "1"]);
    expect(strict.stdout.trim().split("\n")).toEqual(["left_id,right_id,score", "S1,P9,1.0000"]);
  });

  it("names a missing column and a bad threshold", async () => {
    const r = await ariadne(["link", "--left", left, "--right", right, "--id", "nope"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/no id column "nope"/);
    const t = await ariadne(["link", "--left", left, "--right", right, "--threshold", "2"]);
    expect(t.code).not.toBe(0);
    expect(t.stderr).toMatch(/from 0 to 1/);
  });
});
