/** The annual return's messages between a national node and the Secretariat, sent and acted on by the nodes. */
import { RETURN_MESSAGE_TYPES } from "../../domain/returns.ts";
import { messageType } from "../../platform/exchange/registry.ts";
import { receiveReturn, recordAcknowledgement } from "./returns.ts";

export const returnMessageTypes = [
  messageType({
    type: "stats-return",
    version: 1,
    body: RETURN_MESSAGE_TYPES["stats-return"][1],
    sentBy: "node",
    receive: receiveReturn,
  }),
  messageType({
    type: "stats-ack",
    version: 1,
    body: RETURN_MESSAGE_TYPES["stats-ack"][1],
    sentBy: "node",
    receive: recordAcknowledgement,
  }),
];
