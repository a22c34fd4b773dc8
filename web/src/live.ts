/**
 * Live updates from the node: a Server-Sent Events stream read with the browser's
 * EventSource (same origin, so the session cookie goes with it). The browser
 * reconnects by itself after a dropped connection; a refused one (the stream does
 * not exist, or access ended) stays closed until `reconnect` is called.
 */
import { useCallback, useEffect, useRef, useState } from "react";

export type LiveState = "connecting" | "live" | "offline";

export interface LiveHandlers {
  /** A named event (`event: <name>`) with its `data` parsed as JSON. */
  onEvent: (event: string, data: unknown) => void;
}

export function useEventStream(
  url: string | null,
  events: readonly string[],
  handlers: LiveHandlers,
): { state: LiveState; reconnect: () => void } {
  const [state, setState] = useState<LiveState>("connecting");
  const [attempt, setAttempt] = useState(0);
  const handlersRef = useRef(handlers);
  useEffect(() => {
    handlersRef.current = handlers;
  });
  const eventKey = events.join(",");

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` reopens the stream on demand
  useEffect(() => {
    if (!url || typeof EventSource === "undefined") {
      setState("offline");
      return;
    }
    const source = new EventSource(url);
    setState("connecting");
    source.onopen = () => setState("live");
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? "offline" : "connecting");
    for (const name of eventKey.split(",")) {
      source.addEventListener(name, (e: MessageEvent<string>) => {
        let data: unknown;
        try {
          data = JSON.parse(e.data);
        } catch {
          return;
        }
        handlersRef.current.onEvent(name, data);
      });
    }
    return () => source.close();
  }, [url, eventKey, attempt]);

  const reconnect = useCallback(() => setAttempt((n) => n + 1), []);
  return { state, reconnect };
}
