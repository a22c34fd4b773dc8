import { describe, expect, it } from "vitest";
import { normalisePlate } from "../../src/domain/case-records.ts";
import { searchForm } from "../../src/domain/names.ts";
import { eip55, normaliseIban, normalisePhone, normaliseWallet } from "../../src/domain/selectors.ts";

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

describe("crypto wallets", () => {
  it.each([
    ["BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"],
    ["BTC", " 3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy ", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"],
    ["BTC", "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
    [
      "BTC",
      "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
      "bc1p5d7rjq7g6rdk2yhzks9smlaqtedr4dekq08ge8ztwac72sfr9rusxg3297",
    ],
    // EIP-55's own examples, typed in lower case, come back checksummed.
    ["ETH", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"],
    ["ETH", "0xFB6916095CA1DF60BB79CE92CE3EA74C37C5D359", "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"],
    [
      "USDT_ERC20",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    ],
    ["other", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE", "TQn9Y2khEsLJW1ChVWFMSMeRDow5KcbLSE"],
  ])("%s %s → %s", (asset, raw, value) => {
    expect(normaliseWallet(asset, raw)).toEqual({ ok: true, value });
  });

  it.each([
    ["BTC", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", "checksum"],
    ["BTC", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "test-network"],
    ["BTC", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "not a Bitcoin address"],
    ["ETH", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "EIP-55"],
    ["ETH", "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea", "40 hexadecimal"],
    ["ETH", "", "empty"],
    ["other", "short", "16 to 120"],
    ["other", "addr with spaces in it", "16 to 120"],
  ])("refuses %s %s (%s)", (asset, raw, reason) => {
    expect(normaliseWallet(asset, raw)).toMatchObject({
      ok: false,
      message: expect.stringContaining(reason),
    });
  });

  it("computes EIP-55 checksums for all four of the EIP's examples", () => {
    for (const a of [
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ]) {
      expect(eip55(a.slice(2).toLowerCase())).toBe(a);
    }
  });
});

describe("vehicle plates", () => {
  it.each([
    ["abc-123", "ABC123"],
    [" ABC 123 ", "ABC123"],
    ["1234 BCD", "1234BCD"],
    ["Ｍ·ＡＢ·１２３", "MAB123"],
    ["京A·12345", "京A12345"],
  ])("%s → %s", (raw, normalised) => {
    expect(normalisePlate(raw)).toBe(normalised);
  });
});
