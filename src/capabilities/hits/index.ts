/** Hit/no-hit's public entry point: its routes and the message types it registers with the exchange. */
export { hitMessageTypes } from "./messages.ts";
export { hitRoutes } from "./routes.ts";
