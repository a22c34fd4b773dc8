import { describe, expect, it } from "vitest";
import { AppError, ERROR_STATUS } from "../../src/domain/errors.ts";
import { toAppError } from "../../src/platform/http/errors.ts";

describe("the error type", () => {
  it("maps every code to one HTTP status", () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(new AppError(code as keyof typeof ERROR_STATUS, "m").status).toBe(status);
    }
  });

  it("names the field of a field error", () => {
    const e = AppError.field("body.username", "is already taken", "conflict");
    expect(e.status).toBe(409);
    expect(e.fields).toEqual([{ path: "body.username", message: "is already taken" }]);
  });

  it("translates framework errors and leaves unknown ones to be masked", () => {
    expect(toAppError({ code: "FST_ERR_CTP_BODY_TOO_LARGE", statusCode: 413 })?.code).toBe(
      "payload_too_large",
    );
    expect(toAppError({ code: "FST_ERR_CTP_INVALID_MEDIA_TYPE", statusCode: 415 })?.code).toBe(
      "unsupported_media_type",
    );
    expect(toAppError({ statusCode: 429 })?.code).toBe("rate_limited");
    expect(toAppError(new Error("database exploded"))).toBeNull();
  });
});
