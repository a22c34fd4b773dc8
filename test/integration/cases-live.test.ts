/** The crisis log, live: new entries reach the open pages of the crisis team within a second, and nobody else. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addLogEntry, openCase, signedIn, teamMember } from "../helpers/factories.ts";
import { createTestNode, type Session, type TestNode } from "../helpers/node.ts";

let node: TestNode;
let base: string;
beforeAll(async () => {
  node = await createTestNode({ ARIADNE_AUTH_RATE_LIMIT: 10_000 });
  await node.app.listen({ host: "127.0.0.1", port: 0 });
  const addr = node.app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});
afterAll(async () => node?.close());

/** Follow a stream over real HTTP and collect its `entry` events. */
async function follow(session: Session, caseId: string, lastEventId?: number) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/cases/${caseId}/crisis-log/stream`, {
    headers: { cookie: session.cookie, ...(lastEventId ? { "last-event-id": String(lastEventId) } : {}) },
    signal: controller.signal,
  });
  const events: { id: number; entry: { summary?: string } }[] = [];
  let ended = false;
  if (res.ok && res.body) {
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let i = buffer.indexOf("\n\n");
          while (i >= 0) {
            const block = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            const data = block.split("\n").find((l) => l.startsWith("data: "));
            if (block.includes("event: entry") && data) events.push(JSON.parse(data.slice(6)));
            i = buffer.indexOf("\n\n");
          }
        }
      } catch {
        // aborted
      }
      ended = true;
    })();
  }
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    events,
    ended: () => ended,
    stop: () => controller.abort(),
  };
}

const waitFor = async (cond: () => boolean, ms = 1000) => {
  const until = Date.now() + ms;
  while (!cond() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return cond();
};

describe("the live crisis log", () => {
  it("delivers a new entry to the crisis team within a second, and to nobody outside it", async () => {
    const lead = await signedIn(node, ["investigator"]);
    const c = await openCase(lead, { title: "Synthetic live case" });
    const crisisMember = await teamMember(node, lead, c.id, {
      roles: ["crisis_manager"],
      caseRole: "crisis_team",
    });
    const plainMember = await teamMember(node, lead, c.id, { roles: ["prosecutor"], caseRole: "member" });

    const crisis = await follow(crisisMember, c.id);
    expect(crisis.status).toBe(200);
    expect(crisis.contentType).toMatch(/text\/event-stream/);
    const member = await follow(plainMember, c.id);
    expect(member.status).toBe(404);
    const outsider = await follow(await signedIn(node, ["investigator"]), c.id);
    expect(outsider.status).toBe(404);

    const sent = Date.now();
    const res = await lead.inject("POST", `/api/cases/${c.id}/crisis-log`, {
      entry: {
        kind: "demand",
        summary: "USD 500,000 for her release",
        amount: { value: 500000, currency: "USD" },
      },
    });
    expect(res.statusCode).toBe(201);
    expect(await waitFor(() => crisis.events.length === 1)).toBe(true);
    expect(Date.now() - sent).toBeLessThan(1000);
    expect(crisis.events[0]).toMatchObject({
      id: res.json().id,
      entry: { summary: "USD 500,000 for her release" },
    });

    // Taken off the team, the stream stops at the next entry and delivers nothing more.
    await lead.inject("DELETE", `/api/cases/${c.id}/team/${crisisMember.user.id}`);
    await addLogEntry(lead, c.id, { kind: "note", summary: "after removal" });
    expect(await waitFor(() => crisis.ended())).toBe(true);
    expect(crisis.events).toHaveLength(1);
    crisis.stop();
  });

  it("a reconnecting page gets what it missed, once and in order, then new entries", async () => {
    const lead = await signedIn(node, ["investigator"]);
    const c = await openCase(lead, { title: "Synthetic reconnect case" });
    const ids: number[] = [];
    for (const summary of ["first", "second", "third"]) {
      ids.push((await addLogEntry(lead, c.id, { kind: "note", summary })).id);
    }
    // The page saw "first", lost its connection, and comes back with Last-Event-ID.
    const again = await follow(lead, c.id, ids[0]);
    expect(again.status).toBe(200);
    expect(await waitFor(() => again.events.length === 2)).toBe(true);
    expect(again.events.map((e) => e.entry.summary)).toEqual(["second", "third"]);
    await addLogEntry(lead, c.id, { kind: "note", summary: "fourth" });
    expect(await waitFor(() => again.events.length === 3)).toBe(true);
    expect(again.events.map((e) => e.entry.summary)).toEqual(["second", "third", "fourth"]);
    again.stop();
    // A stranger's Last-Event-ID opens nothing.
    const outsider = await follow(await signedIn(node, ["investigator"]), c.id, ids[0]);
    expect(outsider.status).toBe(404);
  });
});
