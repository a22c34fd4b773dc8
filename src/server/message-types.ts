/**
 * The message types this node reads, assembled from the capabilities that handle them.
 * A new capability that exchanges messages adds its list here.
 */
import { hitMessageTypes } from "../capabilities/hits/index.ts";
import { noticeMessageTypes } from "../capabilities/messages/index.ts";
import { returnMessageTypes } from "../capabilities/statistics/index.ts";
import { MessageTypes } from "../platform/exchange/registry.ts";

export function nodeMessageTypes(): MessageTypes {
  return new MessageTypes([...noticeMessageTypes, ...hitMessageTypes, ...returnMessageTypes]);
}
