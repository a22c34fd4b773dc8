import { describe, expect, it } from "vitest";
import { z } from "zod";
import { hitMessageTypes } from "../../../src/capabilities/hits/index.ts";
import { noticeMessageTypes } from "../../../src/capabilities/messages/index.ts";
import { returnMessageTypes } from "../../../src/capabilities/statistics/index.ts";
import { COMPOSABLE_TYPES, MESSAGE_TYPES } from "../../../src/domain/federation.ts";
import { type MessageType, MessageTypes, messageType } from "../../../src/platform/exchange/registry.ts";
import { nodeMessageTypes } from "../../../src/server/message-types.ts";

const body = z.strictObject({ n: z.number() });
const handled = (type: string, version = 1): MessageType<unknown> =>
  messageType({ type, version, body, sentBy: "node", receive: async () => {} });

describe("the message-type registry", () => {
  it("the node reads every type the domain defines, each with the capability that handles it", () => {
    const types = nodeMessageTypes();
    const registered = types.all().map((d) => `${d.type}@${d.version}`);
    const defined = Object.entries(MESSAGE_TYPES).flatMap(([t, vs]) =>
      Object.keys(vs).map((v) => `${t}@${v}`),
    );
    expect(registered.sort()).toEqual(defined.sort());
    // What people compose is read by people; what the node sends, it acts on itself.
    for (const t of COMPOSABLE_TYPES) expect(types.isNodeType(t), t).toBe(false);
    expect(types.nodeTypes().sort()).toEqual(
      [...hitMessageTypes, ...returnMessageTypes].map((d) => d.type).sort(),
    );
    for (const d of [...hitMessageTypes, ...returnMessageTypes])
      expect(d.receive, d.type).toBeTypeOf("function");
    for (const d of noticeMessageTypes) expect(d.receive, d.type).toBeUndefined();
  });

  it("knows a type by its name and version only", () => {
    const types = new MessageTypes([handled("x-test")]);
    expect(types.get("x-test", 1)?.body).toBe(body);
    expect(types.get("x-test", 2)).toBeUndefined();
    expect(types.get("x-other", 1)).toBeUndefined();
  });

  it("marks notices and urgent requests as calling for attention, nothing else", () => {
    const types = nodeMessageTypes();
    expect(types.urgent("notice.modus-operandi", 1, { summary: "s" })).toBe(true);
    expect(types.urgent("info-request", 1, { question: "q", urgency: "immediate" })).toBe(true);
    expect(types.urgent("info-request", 1, { question: "q", urgency: "routine" })).toBe(false);
    expect(types.urgent("hit-query", 1, {})).toBe(false);
    expect(types.urgent("unknown", 1, {})).toBe(false);
  });

  it("refuses a registry it could not dispatch without doubt", () => {
    expect(() => new MessageTypes([handled("x-test"), handled("x-test")])).toThrow(/registered twice/);
    expect(
      () => new MessageTypes([messageType({ type: "x-test", version: 1, body, sentBy: "node" })]),
    ).toThrow(/no handler/);
    expect(
      () =>
        new MessageTypes([
          messageType({ type: "x-test", version: 1, body, sentBy: "people", receive: async () => {} }),
        ]),
    ).toThrow(/composed by people/);
    expect(
      () =>
        new MessageTypes([
          handled("x-test", 1),
          messageType({ type: "x-test", version: 2, body, sentBy: "people" }),
        ]),
    ).toThrow(/by the node in one version and by people in another/);
  });
});
