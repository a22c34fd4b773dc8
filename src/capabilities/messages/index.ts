/** The liaison officers' messages: their routes and the message types people compose. */
export { messageRoutes } from "./routes.ts";
export { noticeMessageTypes } from "./types.ts";
