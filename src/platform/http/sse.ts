/**
 * Server-Sent Events for live pages: the response head, a heartbeat, and an end
 * that runs once — when the browser goes, when the caller closes the stream, or
 * when the node shuts down (LiveEvents keeps every open stream's close).
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { LiveEvents } from "../live.ts";

export interface SseStream {
  send(event: string, id: string | number, data: unknown): void;
  close(): void;
  /** Run when the stream ends, whoever ends it. */
  onClose(fn: () => void): void;
}

export function openSse(req: FastifyRequest, reply: FastifyReply, live: LiveEvents): SseStream {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
    "x-accel-buffering": "no",
    "x-request-id": req.id,
  });
  res.write(": connected\n\n");
  const cleanups: (() => void)[] = [];
  const heartbeat = setInterval(() => res.write(": keep-alive\n\n"), 15_000);
  heartbeat.unref();
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    untrack();
    for (const fn of cleanups) fn();
    if (!res.writableEnded) res.end();
  };
  const untrack = live.track(close);
  req.raw.on("close", close);
  return {
    send: (event, id, data) => {
      if (!closed) res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close,
    onClose: (fn) => cleanups.push(fn),
  };
}
