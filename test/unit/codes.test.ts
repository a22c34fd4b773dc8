import { describe, expect, it } from "vitest";
import { chargeInputSchema } from "../../src/domain/case-records.ts";
import { alpha2Of, countryCode, currencyCode } from "../../src/domain/schemas.ts";

const message = (r: { success: boolean; error?: { issues: { message: string }[] } }) =>
  r.error?.issues.map((i) => i.message).join("; ");

describe("ISO 3166-1 country codes", () => {
  it.each(["COL", "MEX", "ESP", "LBN", "CHN", "RUS", "XKX"])("%s is a country", (c) => {
    expect(countryCode.safeParse(c).success).toBe(true);
  });
  it.each([
    ["XXX", "is not an ISO 3166-1 country code"],
    ["ABC", "is not an ISO 3166-1 country code"],
    ["col", "must be an ISO 3166-1 alpha-3 code"],
    ["CO", "must be an ISO 3166-1 alpha-3 code"],
  ])("%s is refused: %s", (c, why) => {
    expect(message(countryCode.safeParse(c))).toContain(why);
  });
  it("maps alpha-3 to alpha-2", () => {
    expect([alpha2Of("COL"), alpha2Of("GBR"), alpha2Of("XKX"), alpha2Of("XXX")]).toEqual([
      "CO",
      "GB",
      "XK",
      undefined,
    ]);
  });
});

describe("ISO 4217 currency codes", () => {
  it.each(["USD", "COP", "MXN", "EUR", "LBP", "CNY", "RUB"])("%s is a currency", (c) => {
    expect(currencyCode.safeParse(c).success).toBe(true);
  });
  it.each([
    ["XYZ", "is not an ISO 4217 currency code"],
    ["usd", "must be an ISO 4217 code"],
    ["DOLLARS", "must be an ISO 4217 code"],
  ])("%s is refused: %s", (c, why) => {
    expect(message(currencyCode.safeParse(c))).toContain(why);
  });
  it("is checked where money is recorded", () => {
    const r = chargeInputSchema.safeParse({
      offence: "K",
      legalProvision: "P",
      stage: "final",
      verdict: "convicted",
      sentence: { fine: { value: 10, currency: "ABC" } },
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(["sentence", "fine", "currency"]);
  });
});
