/**
 * The JSON body parser: bytes must be valid UTF-8 (a replacement character
 * would silently corrupt names), and prototype-poisoning keys are refused.
 */
import type { FastifyInstance } from "fastify";
import sjson from "secure-json-parse";
import { AppError } from "../../domain/errors.ts";

const decoder = new TextDecoder("utf-8", { fatal: true });

export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_req, body: Buffer, done) => {
    if (body.length === 0) return done(null, undefined);
    let text: string;
    try {
      text = decoder.decode(body);
    } catch {
      return done(AppError.field("body", "is not valid UTF-8", "invalid_encoding"));
    }
    try {
      done(null, sjson.parse(text, undefined, { protoAction: "error", constructorAction: "error" }));
    } catch (e) {
      const reason =
        e instanceof SyntaxError ? e.message : "uses a forbidden key (__proto__ or constructor.prototype)";
      done(
        new AppError("malformed_json", `The body is not acceptable JSON: ${reason}`, [
          { path: "body", message: reason },
        ]),
      );
    }
  });
}
