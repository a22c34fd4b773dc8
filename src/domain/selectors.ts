/**
 * Normalisers for the selectors investigators record (phones, bank accounts):
 * one canonical spelling each, so that the same number typed two ways is the
 * same selector in search and, later, in cross-border hit/no-hit. Pure and
 * browser-safe (libphonenumber-js, ibantools).
 */
import { electronicFormatIBAN, ValidationErrorsIBAN, validateIBAN } from "ibantools";
import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js";

export type Normalised = { ok: true; value: string } | { ok: false; message: string };

/** A phone number in E.164 (+573001234567). A national number needs the ISO 3166-1 alpha-2 region. */
export function normalisePhone(raw: string, region?: string): Normalised {
  const text = raw.trim();
  if (!text) return { ok: false, message: "is empty" };
  const parsed = parsePhoneNumberFromString(text, region ? (region.toUpperCase() as CountryCode) : undefined);
  if (!parsed) {
    return {
      ok: false,
      message: region
        ? `is not a phone number of region ${region.toUpperCase()}`
        : "is not a phone number in international form (+ and country code); give the region for a national number",
    };
  }
  if (!parsed.isValid())
    return { ok: false, message: `is not a valid number for ${parsed.country ?? "its country code"}` };
  return { ok: true, value: parsed.number };
}

const IBAN_REASONS: Partial<Record<ValidationErrorsIBAN, string>> = {
  [ValidationErrorsIBAN.NoIBANCountry]: "does not start with a known IBAN country code",
  [ValidationErrorsIBAN.WrongBBANLength]: "has the wrong length for its country",
  [ValidationErrorsIBAN.WrongBBANFormat]: "does not have its country's account format",
  [ValidationErrorsIBAN.ChecksumNotNumber]: "has check digits that are not digits",
  [ValidationErrorsIBAN.WrongIBANChecksum]: "has wrong check digits (a typo?)",
  [ValidationErrorsIBAN.WrongAccountBankBranchChecksum]: "has a wrong national check digit",
};

/** An IBAN in electronic format (no spaces, upper case), its check digits verified. */
export function normaliseIban(raw: string): Normalised {
  const value = electronicFormatIBAN(raw) ?? "";
  if (!value) return { ok: false, message: "is empty" };
  const v = validateIBAN(value);
  if (!v.valid) {
    // The most telling reason first, in the order of IBAN_REASONS.
    const reason =
      Object.entries(IBAN_REASONS).find(([code]) => v.errorCodes.includes(Number(code)))?.[1] ??
      "is not a valid IBAN";
    return { ok: false, message: reason };
  }
  return { ok: true, value };
}
