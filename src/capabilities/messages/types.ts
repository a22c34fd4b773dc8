/** The message types liaison officers compose and read: notices, information requests and replies. */
import type { z } from "zod";
import { isUrgent, NOTICE_MESSAGE_TYPES } from "../../domain/federation.ts";
import type { MessageType } from "../../platform/exchange/registry.ts";

const composed = (type: string, body: z.ZodType): MessageType<unknown> => ({
  type,
  version: 1,
  body,
  sentBy: "people",
  // Notices about a person held or wanted, and requests marked urgent, call for attention now.
  urgent: (b) => isUrgent(type, b),
});

export const noticeMessageTypes: MessageType<unknown>[] = Object.entries(NOTICE_MESSAGE_TYPES).flatMap(
  ([type, versions]) => Object.values(versions).map((body) => composed(type, body)),
);
