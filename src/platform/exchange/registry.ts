/**
 * The message types a node reads, as a registry. Each capability declares the types it
 * sends and receives — name, version, body schema, who sends it, and (for the node's own
 * types) the handler that runs in the transaction that stores the arrival — and the
 * server assembles them into one `MessageTypes`. The exchange (outbox, delivery, inbox,
 * receipts, dead letters) asks the registry and knows nothing about notices, hits or returns.
 */
import type { z } from "zod";
import type { Ctx } from "../context.ts";

/** A message as the receiving node hands it to the capability that handles its type. */
export interface Arrival<B> {
  id: string;
  sender: string;
  thread: string;
  type: string;
  version: number;
  body: B;
}

export interface MessageType<B> {
  type: string;
  version: number;
  /** The body as it travels; a receiver reads only what this schema accepts. */
  body: z.ZodType<B>;
  /**
   * `people`: composed by liaison officers (the API's compose routes), read in their inbox.
   * `node`: sent by the node itself and acted on by the receiving node (`receive`); never
   * composed through the API and not listed in the liaison officers' inbox.
   */
  sentBy: "people" | "node";
  /** For a node's own type: runs in the transaction that stores the arrival, so it is processed exactly once. */
  receive?(tx: Ctx, m: Arrival<B>): Promise<void>;
  /** Arrivals that call for attention now (the live inbox marks them). */
  urgent?(body: B): boolean;
}

/** Declare a message type, with its body type inferred from the schema. */
export function messageType<S extends z.ZodType>(
  def: MessageType<z.output<S>> & { body: S },
): MessageType<z.output<S>> {
  return def;
}

const keyOf = (type: string, version: number) => `${type}@${version}`;

export class MessageTypes {
  private readonly byKey = new Map<string, MessageType<unknown>>();
  private readonly nodeTypeNames = new Set<string>();

  constructor(defs: readonly MessageType<unknown>[]) {
    for (const d of defs) {
      const key = keyOf(d.type, d.version);
      if (this.byKey.has(key)) throw new Error(`message type ${key} is registered twice`);
      if (d.sentBy === "node" && !d.receive)
        throw new Error(`message type ${key} is the node's own but has no handler`);
      if (d.sentBy === "people" && d.receive)
        throw new Error(`message type ${key} is composed by people: it has no handler`);
      this.byKey.set(key, d);
      if (d.sentBy === "node") this.nodeTypeNames.add(d.type);
    }
    for (const t of this.nodeTypeNames) {
      if ([...this.byKey.values()].some((d) => d.type === t && d.sentBy !== "node"))
        throw new Error(`message type ${t} is sent by the node in one version and by people in another`);
    }
  }

  /** The registered definition of a type and version, if this node reads it. */
  get(type: string, version: number): MessageType<unknown> | undefined {
    return this.byKey.get(keyOf(type, version));
  }

  /** Whether a type is one the node sends and acts on itself (never shown in the liaison officers' inbox). */
  isNodeType(type: string): boolean {
    return this.nodeTypeNames.has(type);
  }

  /** The node's own types, by name. */
  nodeTypes(): string[] {
    return [...this.nodeTypeNames];
  }

  /** Whether an arrival calls for attention now. */
  urgent(type: string, version: number, body: unknown): boolean {
    return this.get(type, version)?.urgent?.(body) ?? false;
  }

  all(): MessageType<unknown>[] {
    return [...this.byKey.values()];
  }
}
