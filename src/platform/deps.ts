/** What every route and worker of a node is given: its configuration, database, secrets, metrics, live updates and the exchange. */
import type { IntegrityView } from "../domain/integrity.ts";
import type { SecretBox } from "./auth/crypto.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/index.ts";
import type { DeliveryWorker } from "./exchange/delivery.ts";
import type { MessageTypes } from "./exchange/registry.ts";
import type { LiveEvents } from "./live.ts";
import type { Metrics } from "./metrics.ts";

export interface AppDeps {
  config: Config;
  db: Db;
  box: SecretBox;
  metrics: Metrics;
  live: LiveEvents;
  /** Carries the outbox to the peers; `kick()` after queueing a message. */
  delivery: DeliveryWorker;
  /** The message types this node reads, each with the capability that handles it. */
  messageTypes: MessageTypes;
  /** Whether the node's hash chains and hashes verify: checked at start, periodically and on demand. */
  integrity: IntegrityView;
}
