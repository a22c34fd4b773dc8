/**
 * Live updates inside one node process: use cases publish after their
 * transaction has committed, streams (SSE) subscribe per case. A node that runs
 * several processes would carry these over PostgreSQL LISTEN/NOTIFY; one
 * process per node is what runs today.
 */
import { EventEmitter } from "node:events";

export class LiveEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open case page; many crisis-team members may watch one case.
    this.emitter.setMaxListeners(0);
  }

  publish(topic: string, event: string, data: unknown): void {
    this.emitter.emit(topic, event, data);
  }

  subscribe(topic: string, listener: (event: string, data: unknown) => void): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  private readonly streams = new Set<() => void>();

  /** Keep an open stream's close, so that the node can end every stream when it shuts down. */
  track(close: () => void): () => void {
    this.streams.add(close);
    return () => this.streams.delete(close);
  }

  closeAll(): void {
    for (const close of [...this.streams]) close();
  }

  listenerCount(topic: string): number {
    return this.emitter.listenerCount(topic);
  }
}

export const crisisTopic = (caseId: string) => `crisis-log:${caseId}`;
export const INBOX_TOPIC = "federation:inbox";
