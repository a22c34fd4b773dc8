import { describe, expect, it } from "vitest";
import { searchForm } from "../../src/domain/names.ts";
import { normaliseIban, normalisePhone } from "../../src/domain/selectors.ts";

describe("phone numbers to E.164", () => {
  it.each([
    ["+57 300 123 4567", undefined, "+573001234567"],
    ["+57 (300) 123-4567", undefined, "+573001234567"],
    ["300 123 4567", "CO", "+573001234567"],
    ["0044 20 7946 0958", "ES", "+442079460958"],
    ["+52 55 1234 5678", undefined, "+525512345678"],
    ["020 7946 0958", "gb", "+442079460958"],
    ["+34 612 34 56 78", undefined, "+34612345678"],
  ])("%s (region %s) → %s", (raw, region, e164) => {
    expect(normalisePhone(raw, region)).toEqual({ ok: true, value: e164 });
  });

  it("refuses what is not a number, a national number without region, and impossible numbers", () => {
    expect(normalisePhone("call me").ok).toBe(false);
    expect(normalisePhone("300 123 4567")).toMatchObject({
      ok: false,
      message: expect.stringContaining("give the region"),
    });
    expect(normalisePhone("+57 1").ok).toBe(false);
    expect(normalisePhone("   ").ok).toBe(false);
  });
});

describe("IBANs", () => {
  it("normalises spacing and case, and checks the digits", () => {
    expect(normaliseIban("es91 2100 0418 4502 0005 1332")).toEqual({
      ok: true,
      value: "ES9121000418450200051332",
    });
    expect(normaliseIban("DE89370400440532013000")).toEqual({ ok: true, value: "DE89370400440532013000" });
  });

  it("says why an IBAN is wrong", () => {
    expect(normaliseIban("ES9121000418450200051333")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/check digit/),
    });
    expect(normaliseIban("XX9121000418450200051332")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/country code/),
    });
    expect(normaliseIban("DE8937040044053201300")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/length/),
    });
  });
});

describe("the searchable form of a name", () => {
  it.each([
    ["José María Pérez-Gómez", "jose maria perez gomez"],
    ["Ольга Смирнова", "olga smirnova"],
    ["张伟", "zhang wei"],
    ["  O'Brien,  Seán ", "o brien sean"],
  ])("%s → %s", (raw, form) => {
    expect(searchForm(raw)).toBe(form);
  });
});
