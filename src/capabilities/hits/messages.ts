/** The hit/no-hit protocol's messages, sent by the node itself and answered by it on arrival. */
import { HIT_MESSAGE_TYPES } from "../../domain/hits.ts";
import { messageType } from "../../platform/exchange/registry.ts";
import { answerQuery } from "./answer.ts";
import { recordDisclosure, recordReply } from "./ask.ts";

export const hitMessageTypes = [
  messageType({
    type: "hit-query",
    version: 1,
    body: HIT_MESSAGE_TYPES["hit-query"][1],
    sentBy: "node",
    receive: answerQuery,
  }),
  messageType({
    type: "hit-reply",
    version: 1,
    body: HIT_MESSAGE_TYPES["hit-reply"][1],
    sentBy: "node",
    receive: recordReply,
  }),
  messageType({
    type: "hit-disclosure",
    version: 1,
    body: HIT_MESSAGE_TYPES["hit-disclosure"][1],
    sentBy: "node",
    receive: recordDisclosure,
  }),
];
