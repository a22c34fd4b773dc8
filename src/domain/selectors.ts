/**
 * Normalisers for the selectors investigators record (phones, bank accounts):
 * crypto wallets): one canonical spelling each, so that the same number typed two ways is the
 * same selector in search and, later, in cross-border hit/no-hit. Pure and
 * browser-safe (libphonenumber-js, ibantools, bitcoin-address-validation, @noble/hashes).
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getAddressInfo, Network } from "bitcoin-address-validation";
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

/** An Ethereum address with its EIP-55 mixed-case checksum. */
export function eip55(hex40: string): string {
  const lower = hex40.toLowerCase();
  const hash = keccak_256(new TextEncoder().encode(lower));
  let out = "0x";
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] ?? 0) >> (i % 2 === 0 ? 4 : 0)) & 0xf;
    const ch = lower[i] ?? "";
    out += nibble >= 8 ? ch.toUpperCase() : ch;
  }
  return out;
}

/**
 * A crypto wallet address, checked for its asset: Bitcoin (base58check or
 * bech32/bech32m, mainnet), Ethereum and ERC-20 tokens (EIP-55 checksum when
 * the address is written in mixed case). Other assets are kept as typed after
 * a character check.
 */
export function normaliseWallet(asset: string, raw: string): Normalised {
  const text = raw.trim();
  if (!text) return { ok: false, message: "is empty" };
  if (asset === "BTC") {
    const lower = /^bc1/i.test(text) ? text.toLowerCase() : text;
    let info: ReturnType<typeof getAddressInfo>;
    try {
      info = getAddressInfo(lower);
    } catch {
      return { ok: false, message: "is not a Bitcoin address (a typo breaks its checksum)" };
    }
    if (info.network !== Network.mainnet) return { ok: false, message: "is a Bitcoin test-network address" };
    return { ok: true, value: lower };
  }
  if (asset === "ETH" || asset === "USDT_ERC20") {
    const m = /^0x([0-9a-fA-F]{40})$/.exec(text);
    if (!m?.[1]) return { ok: false, message: "is not an Ethereum address (0x and 40 hexadecimal digits)" };
    const hex = m[1];
    const sum = eip55(hex);
    const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
    if (mixed && sum !== text) return { ok: false, message: "has a wrong EIP-55 checksum (a typo?)" };
    return { ok: true, value: sum };
  }
  if (!/^[A-Za-z0-9:_-]{16,120}$/.test(text)) {
    return { ok: false, message: "must be 16 to 120 letters, digits, ':', '_' or '-'" };
  }
  return { ok: true, value: text };
}
