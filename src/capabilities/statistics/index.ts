/** Statistics' public entry point: its routes and the annual return's message types. */
export { returnMessageTypes } from "./messages.ts";
export { statisticsRoutes } from "./routes.ts";
