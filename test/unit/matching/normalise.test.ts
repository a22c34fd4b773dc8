import { describe, expect, it } from "vitest";
import {
  countryAlpha3,
  normaliseBic,
  normaliseDocument,
  normaliseEmail,
  normaliseIban,
  normalisePhone,
  normalisePlate,
  normaliseSelector,
  normaliseWallet,
} from "../../../src/engines/matching/normalise.ts";

const value = (r: { ok: boolean; value?: string; message?: string }) => (r.ok ? r.value : `ERR ${r.message}`);

describe("phones", () => {
  it.each([
    ["+57 300 123 4567", undefined, "+573001234567"],
    ["+57 (300) 123-4567", undefined, "+573001234567"],
    ["+57.300.123.45.67", undefined, "+573001234567"],
    ["0057 300 123 4567", undefined, "+573001234567"],
    ["00 57 300 123 4567", undefined, "+573001234567"],
    ["tel:+57-300-123-4567", undefined, "+573001234567"],
    ["300 123 4567", "CO", "+573001234567"],
    ["+52 1 55 1234 5678", undefined, "+525512345678"],
    ["+52 55 1234 5678", undefined, "+525512345678"],
    ["612 34 56 78", "ES", "+34612345678"],
    ["+34 612-345-678", undefined, "+34612345678"],
    ["011 44 20 7946 0958", "US", "+442079460958"],
    ["(202) 555-0143 ext. 12", "US", "+12025550143"],
    ["+44 (0)20 7946 0958", undefined, "+442079460958"],
    ["０３−１２３４−５６７８", "JP", "+81312345678"],
  ])("%s (%s) → %s", (raw, region, e164) => {
    expect(value(normalisePhone(raw, region))).toBe(e164);
  });

  it("says why a phone cannot be normalised", () => {
    expect(value(normalisePhone("300 123 4567"))).toMatch(/give the region/);
    expect(value(normalisePhone("+57 1"))).toMatch(/^ERR /);
    expect(value(normalisePhone(""))).toBe("ERR is empty");
  });
});

describe("IBANs and BICs", () => {
  it.each([
    ["ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"],
    ["es91-2100-0418-4502-0005-1332", "ES9121000418450200051332"],
    ["IBAN DE89 3704 0044 0532 0130 00", "DE89370400440532013000"],
    ["IBAN: GB29.NWBK.6016.1331.9268.19", "GB29NWBK60161331926819"],
    ["  fr14 2004 1010 0505 0001 3m02 606 ", "FR1420041010050500013M02606"],
  ])("%s → %s", (raw, iban) => {
    expect(value(normaliseIban(raw))).toBe(iban);
  });

  it("refuses a mistyped IBAN with its reason", () => {
    expect(value(normaliseIban("ES9121000418450200051333"))).toMatch(/check digits/);
    expect(value(normaliseIban("XX91 2100"))).toMatch(/country/);
  });

  it.each([
    ["DEUTDEFF", "DEUTDEFFXXX"],
    ["deut de ff xxx", "DEUTDEFFXXX"],
    ["BIC: NEDSZAJJ", "NEDSZAJJXXX"],
    ["SWIFT BOFAUS3N", "BOFAUS3NXXX"],
    ["COLOCOBM-XXX", "COLOCOBMXXX"],
    ["BSCHESMM", "BSCHESMMXXX"],
    ["BNORPHMM123", "BNORPHMM123"],
  ])("BIC %s → %s", (raw, bic) => {
    expect(value(normaliseBic(raw))).toBe(bic);
  });

  it("refuses malformed BICs", () => {
    expect(value(normaliseBic("DEUTDEF"))).toMatch(/8 or 11/);
    expect(value(normaliseBic("DEUTZZFF"))).toMatch(/country/);
    expect(value(normaliseBic("1EUTDEFF"))).toMatch(/form of a BIC/);
  });
});

describe("wallets", () => {
  it.each([
    ["1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"],
    ["bitcoin:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2?amount=0.5", "btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"],
    ["3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"],
    ["BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
    ["  bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq ", "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"],
    ["0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"],
    ["0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED", "eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"],
    [
      "ethereum:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed@1",
      "eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    ],
  ])("%s → %s", (raw, wallet) => {
    expect(value(normaliseWallet(raw))).toBe(wallet);
  });

  it("refuses broken checksums and unknown forms", () => {
    expect(value(normaliseWallet("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3"))).toMatch(/checksum/);
    expect(value(normaliseWallet("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))).toMatch(/EIP-55/);
    expect(value(normaliseWallet("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx"))).toMatch(/^ERR/);
    expect(value(normaliseWallet("hello world"))).toMatch(/name the asset/);
  });
});

describe("identity documents", () => {
  it.each([
    [{ type: "P", country: "CO", number: "AB 123 456" }, "passport:COL:AB123456"],
    [{ type: "passport", country: "COL", number: "ab123456" }, "passport:COL:AB123456"],
    [{ type: "Pasaporte", country: "Colombia", number: "AB-123.456" }, "passport:COL:AB123456"],
    [{ type: "DNI", country: "ES", number: "12345678-Z" }, "national_id:ESP:12345678Z"],
    [{ type: "cédula", country: "co", number: "1.020.304.050" }, "national_id:COL:1020304050"],
    [{ type: "NIE", country: "ESP", number: "X-1234567-L" }, "residence_permit:ESP:X1234567L"],
    [{ type: "P", country: "D", number: "C01X00T47" }, "passport:DEU:C01X00T47"],
    [{ type: "P", country: "MEX", number: "G12345678<<" }, "passport:MEX:G12345678"],
    [{ type: "ID", country: "Mexico", number: "No. 1234 5678 9012" }, "national_id:MEX:123456789012"],
  ])("%j → %s", (input, doc) => {
    expect(value(normaliseDocument(input))).toBe(doc);
  });

  it("names what is wrong", () => {
    expect(value(normaliseDocument({ type: "library card", country: "CO", number: "1" }))).toMatch(
      /document type/,
    );
    expect(value(normaliseDocument({ type: "P", country: "Atlantis", number: "123" }))).toMatch(/country/);
    expect(value(normaliseDocument({ type: "P", country: "CO", number: " - " }))).toMatch(/no number/);
  });

  it("maps country spellings to ISO alpha-3", () => {
    expect([countryAlpha3("es"), countryAlpha3("ESP"), countryAlpha3("Spain"), countryAlpha3("ZZ")]).toEqual([
      "ESP",
      "ESP",
      "ESP",
      undefined,
    ]);
  });
});

describe("vehicle plates", () => {
  it.each([
    [{ country: "CO", plate: "abc 123" }, "COL:ABC123"],
    [{ country: "COL", plate: "ABC-123" }, "COL:ABC123"],
    [{ country: "ES", plate: "1234 BCD" }, "ESP:1234BCD"],
    [{ country: "MX", plate: "ABC-12-34" }, "MEX:ABC1234"],
    [{ country: "DE", plate: "B·MW 1234" }, "DEU:BMW1234"],
    // The same Russian plate typed in Cyrillic and in Latin letters.
    [{ country: "RU", plate: "А 123 ВС 77" }, "RUS:A123BC77"],
    [{ country: "RU", plate: "a123bc77" }, "RUS:A123BC77"],
  ])("%j → %s", (input, plate) => {
    expect(value(normalisePlate(input))).toBe(plate);
  });

  it("refuses an empty plate or unknown country", () => {
    expect(value(normalisePlate({ country: "CO", plate: " - " }))).toMatch(/no letters/);
    expect(value(normalisePlate({ country: "QQ", plate: "ABC123" }))).toMatch(/country/);
  });
});

describe("e-mail addresses", () => {
  it.each([
    ["Ana.Perez@Example.ORG", "ana.perez@example.org"],
    ["  ana.perez@example.org  ", "ana.perez@example.org"],
    ["mailto:ana.perez@example.org?subject=hi", "ana.perez@example.org"],
    ["Ana Pérez <ana.perez@EXAMPLE.org>", "ana.perez@example.org"],
    ["ana.perez@example.org.", "ana.perez@example.org"],
    ["josé@correo.españa.es", "josé@correo.xn--espaa-rta.es"],
  ])("%s → %s", (raw, email) => {
    expect(value(normaliseEmail(raw))).toBe(email);
  });

  it("keeps provider-specific forms apart (no dot or +tag rules)", () => {
    expect(value(normaliseEmail("a.n.a+x@gmail.com"))).toBe("a.n.a+x@gmail.com");
    expect(value(normaliseEmail("ana@gmail.com"))).toBe("ana@gmail.com");
  });

  it("keeps the local part's case on request, and refuses non-addresses", () => {
    expect(value(normaliseEmail("Ana@Example.org", { foldLocalPart: false }))).toBe("Ana@example.org");
    expect(value(normaliseEmail("ana.example.org"))).toMatch(/local part @ domain/);
    expect(value(normaliseEmail("ana@localhost"))).toMatch(/invalid domain/);
    expect(value(normaliseEmail("a na@example.org"))).toMatch(/spaces/);
  });
});

it("dispatches every selector type", () => {
  expect(value(normaliseSelector({ type: "phone", value: "0057 300 123 4567" }))).toBe("+573001234567");
  expect(value(normaliseSelector({ type: "plate", country: "CO", value: "abc 123" }))).toBe("COL:ABC123");
  expect(
    value(normaliseSelector({ type: "document", documentType: "P", country: "CO", value: "x1" })),
  ).toMatch(/3 to 24/);
});
