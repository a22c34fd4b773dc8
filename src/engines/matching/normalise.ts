/**
 * Normalisers for the exact selectors of hit/no-hit (issue 5): one canonical spelling per
 * selector, so that the same phone, account, wallet, document, plate or e-mail typed two ways
 * gives the same pseudonym on both sides. Each returns the canonical string or the reason it
 * cannot. Phones, IBANs and wallets reuse the case records' normalisers (src/domain/selectors.ts);
 * what is added here is the clean-up of the spellings people paste (prefixes, URIs, labels).
 */
import { domainToASCII } from "node:url";
import countries from "i18n-iso-countries";
import { ValidationErrorsBIC, validateBIC } from "ibantools";
import {
  normaliseIban as domainIban,
  normalisePhone as domainPhone,
  normaliseWallet as domainWallet,
  type Normalised,
} from "../../domain/selectors.ts";

export type { Normalised };

export const SELECTOR_TYPES = ["phone", "iban", "bic", "wallet", "document", "plate", "email"] as const;
export type SelectorType = (typeof SELECTOR_TYPES)[number];

const ok = (value: string): Normalised => ({ ok: true, value });
const fail = (message: string): Normalised => ({ ok: false, message });

/**
 * A phone number to E.164. Accepts the international call prefix `00` (and `011` from North
 * America) for `+`, a `tel:` URI, and an extension (dropped: the line is the selector).
 * Mexico's former mobile prefix (`+52 1` before the ten digits, abolished in 2020) is dropped.
 * A national number needs `region` (ISO 3166-1 alpha-2).
 */
export function normalisePhone(raw: string, region?: string): Normalised {
  let text = raw.normalize("NFKC").trim();
  text = text.replace(/^tel:/i, "").replace(/;.*$/, "");
  text = text.replace(/\s*(?:ext\.?|x|#)\s*\d{1,6}\s*$/i, "");
  const compact = text.replace(/[\s().\-/]/g, "");
  if (/^00[1-9]/.test(compact)) text = `+${compact.slice(2)}`;
  else if (/^011[2-9]/.test(compact) && (!region || /^(US|CA)$/i.test(region))) text = `+${compact.slice(3)}`;
  const mx = /^\+521(\d{10})$/.exec(text.replace(/[\s().\-/]/g, ""));
  if (mx) text = `+52${mx[1]}`;
  return domainPhone(text, region);
}

/** An IBAN in electronic format; a leading `IBAN` label and any separators are dropped. */
export function normaliseIban(raw: string): Normalised {
  const text = raw
    .normalize("NFKC")
    .trim()
    .replace(/^IBAN[:\s]*/i, "")
    .replace(/[\s.\-_/]/g, "");
  return domainIban(text);
}

/**
 * A BIC (SWIFT code) in its 11-character form: upper case, separators dropped, and an
 * 8-character BIC (the institution's primary office) completed with `XXX`, so that `DEUTDEFF`
 * and `DEUTDEFFXXX` are the same selector.
 */
export function normaliseBic(raw: string): Normalised {
  const text = raw
    .normalize("NFKC")
    .trim()
    .replace(/^(?:BIC|SWIFT)[:\s]*/i, "")
    .replace(/[\s.\-_/]/g, "")
    .toUpperCase();
  if (!text) return fail("is empty");
  if (text.length !== 8 && text.length !== 11) return fail("must have 8 or 11 letters and digits");
  const v = validateBIC(text);
  if (!v.valid) {
    if (v.errorCodes.includes(ValidationErrorsBIC.NoBICCountry))
      return fail("does not have a known country code in positions 5–6");
    return fail("does not have the form of a BIC (4 letters, country, location, optional branch)");
  }
  return ok(text.length === 8 ? `${text}XXX` : text);
}

export type WalletAsset = "BTC" | "ETH" | "USDT_ERC20" | (string & {});

/**
 * A crypto wallet address. The asset may be given or guessed from the form (`auto`): Bitcoin
 * base58check or bech32/bech32m (lower case), Ethereum with its EIP-55 checksum (an all-lower or
 * all-upper address gets it; a mixed-case one must carry the right one). URIs (`bitcoin:…?amount=`,
 * `ethereum:…@1`) are reduced to the address. The canonical value is prefixed by the chain
 * (`btc:` or `eth:`) so that equal strings on two chains are two selectors; ERC-20 tokens live
 * at Ethereum addresses and share `eth:`.
 */
export function normaliseWallet(raw: string, asset: WalletAsset | "auto" = "auto"): Normalised {
  let text = raw.normalize("NFKC").trim();
  text = text.replace(/^(?:bitcoin|ethereum):(?:\/\/)?/i, "");
  text = text.replace(/[?@/].*$/, "");
  if (!text) return fail("is empty");
  let kind = asset.toUpperCase();
  if (kind === "AUTO") {
    if (/^0x[0-9a-f]{40}$/i.test(text)) kind = "ETH";
    else if (/^(?:bc1|[13])/i.test(text)) kind = "BTC";
    else return fail("is neither a Bitcoin nor an Ethereum address; name the asset");
  }
  const r = domainWallet(kind, text);
  if (!r.ok) return r;
  if (kind === "BTC") return ok(`btc:${r.value}`);
  if (kind === "ETH" || kind === "USDT_ERC20") return ok(`eth:${r.value}`);
  return ok(`${kind.toLowerCase()}:${r.value}`);
}

export const DOCUMENT_TYPES = [
  "passport",
  "national_id",
  "residence_permit",
  "driving_licence",
  "visa",
  "other",
] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const DOCUMENT_ALIASES: Record<string, DocumentType> = {
  p: "passport",
  pp: "passport",
  passport: "passport",
  pasaporte: "passport",
  passeport: "passport",
  passaporte: "passport",
  id: "national_id",
  i: "national_id",
  nationalid: "national_id",
  idcard: "national_id",
  dni: "national_id",
  cedula: "national_id",
  cc: "national_id",
  cni: "national_id",
  ine: "national_id",
  curp: "national_id",
  rg: "national_id",
  residencepermit: "residence_permit",
  nie: "residence_permit",
  tie: "residence_permit",
  dl: "driving_licence",
  drivinglicence: "driving_licence",
  driverslicense: "driving_licence",
  driverlicense: "driving_licence",
  licencia: "driving_licence",
  permisdeconduire: "driving_licence",
  v: "visa",
  visa: "visa",
  other: "other",
};

/** An ISO 3166-1 alpha-3 code from an alpha-2 or alpha-3 code or an English country name. */
export function countryAlpha3(raw: string): string | undefined {
  const text = raw.normalize("NFKC").trim();
  if (!text) return undefined;
  const upper = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(upper)) return countries.alpha2ToAlpha3(upper) ?? undefined;
  if (/^[A-Z]{3}$/.test(upper)) {
    if (countries.isValid(upper)) return upper;
    // ICAO codes used in machine-readable documents that are not ISO 3166 codes.
    if (upper === "D<<" || upper === "GER") return "DEU";
    return undefined;
  }
  if (upper === "D") return "DEU"; // the MRZ code for Germany
  return countries.getAlpha3Code(text, "en") ?? undefined;
}

function documentType(raw: string): DocumentType | undefined {
  const key = raw
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
  return DOCUMENT_ALIASES[key];
}

/**
 * An identity document: `type:COUNTRY:NUMBER`, with the type from a closed list (aliases such as
 * `P`, `DNI`, `cédula` accepted), the issuing country as ISO 3166-1 alpha-3 and the number in
 * upper case with spaces, dots, dashes, slashes and MRZ fillers (`<`) removed. Letters that look
 * like digits are *not* folded (O and 0 are both valid in many passport numbers).
 */
export function normaliseDocument(input: { type: string; country: string; number: string }): Normalised {
  const type = documentType(input.type);
  if (!type)
    return fail(`has an unknown document type "${input.type}" (one of ${DOCUMENT_TYPES.join(", ")})`);
  const country = countryAlpha3(input.country);
  if (!country) return fail(`has an unknown issuing country "${input.country}"`);
  const number = input.number
    .normalize("NFKC")
    .toUpperCase()
    .replace(/^(?:NO|N°|Nº|NR)\.?\s*/i, "")
    .replace(/[\s.\-/<_]/g, "");
  if (!number) return fail("has no number");
  if (!/^[A-Z0-9]{3,24}$/.test(number)) return fail("has a number that is not 3 to 24 letters and digits");
  return ok(`${type}:${country}:${number}`);
}

// Cyrillic (and Greek) letters that Russian, Ukrainian, Bulgarian, Greek… plates share with
// Latin ones: a plate typed on a Cyrillic keyboard must equal the same plate typed in Latin.
const PLATE_LOOKALIKES: Record<string, string> = {
  А: "A",
  В: "B",
  Е: "E",
  К: "K",
  М: "M",
  Н: "H",
  О: "O",
  Р: "P",
  С: "C",
  Т: "T",
  У: "Y",
  Х: "X",
  І: "I",
  Α: "A",
  Β: "B",
  Ε: "E",
  Ζ: "Z",
  Η: "H",
  Ι: "I",
  Κ: "K",
  Μ: "M",
  Ν: "N",
  Ο: "O",
  Ρ: "P",
  Τ: "T",
  Υ: "Y",
  Χ: "X",
};

/**
 * A vehicle plate: `COUNTRY:PLATE`, the country as ISO 3166-1 alpha-3 and the plate in upper
 * case without spaces, dashes, dots or the country band, Cyrillic and Greek look-alike letters
 * written as their Latin twins. Other scripts (Arabic plates) are kept as written.
 */
export function normalisePlate(input: { country: string; plate: string }): Normalised {
  const country = countryAlpha3(input.country);
  if (!country) return fail(`has an unknown country "${input.country}"`);
  const plate = [
    ...input.plate
      .normalize("NFKC")
      .toUpperCase()
      .replace(/[^\p{L}\p{N}]/gu, ""),
  ]
    .map((c) => PLATE_LOOKALIKES[c] ?? c)
    .join("");
  if (!plate) return fail("has no letters or digits");
  if (plate.length > 12) return fail("is longer than 12 letters and digits");
  return ok(`${country}:${plate}`);
}

/**
 * An e-mail address: trimmed, a `mailto:` prefix, a display name (`Ana <ana@x.org>`) and a
 * trailing dot removed; the domain lower case and, when internationalised, in its ASCII
 * (punycode) form. The local part is lower-cased too (`foldLocalPart`, on by default): RFC 5321
 * allows case-sensitive local parts, but no major provider uses them, and a missed hit costs more
 * than a follow-up request a person refuses. Provider rules (Gmail ignoring dots and `+tags`)
 * are not applied: they hold for some domains only and would merge distinct addresses elsewhere.
 */
export function normaliseEmail(raw: string, options: { foldLocalPart?: boolean } = {}): Normalised {
  let text = raw.normalize("NFC").trim();
  const angle = /<([^<>]+)>\s*$/.exec(text);
  if (angle?.[1]) text = angle[1].trim();
  text = text.replace(/^mailto:/i, "").replace(/\?.*$/, "");
  if (!text) return fail("is empty");
  const at = text.lastIndexOf("@");
  if (at <= 0 || at === text.length - 1) return fail("is not an e-mail address (local part @ domain)");
  let local = text.slice(0, at);
  const domainRaw = text.slice(at + 1).replace(/\.$/, "");
  if (/\s/.test(local) && !/^".*"$/.test(local)) return fail("has spaces in its local part");
  if (local.length > 64) return fail("has a local part longer than 64 characters");
  const domain = domainToASCII(domainRaw.toLowerCase());
  if (!domain || !/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/.test(domain))
    return fail(`has an invalid domain "${domainRaw}"`);
  if (options.foldLocalPart ?? true) local = local.toLowerCase();
  return ok(`${local}@${domain}`);
}

export type SelectorInput =
  | { type: "phone"; value: string; region?: string }
  | { type: "iban"; value: string }
  | { type: "bic"; value: string }
  | { type: "wallet"; value: string; asset?: WalletAsset }
  | { type: "document"; documentType: string; country: string; value: string }
  | { type: "plate"; country: string; value: string }
  | { type: "email"; value: string };

/** One entry point for every selector type. */
export function normaliseSelector(s: SelectorInput): Normalised {
  switch (s.type) {
    case "phone":
      return normalisePhone(s.value, s.region);
    case "iban":
      return normaliseIban(s.value);
    case "bic":
      return normaliseBic(s.value);
    case "wallet":
      return normaliseWallet(s.value, s.asset ?? "auto");
    case "document":
      return normaliseDocument({ type: s.documentType, country: s.country, number: s.value });
    case "plate":
      return normalisePlate({ country: s.country, plate: s.value });
    case "email":
      return normaliseEmail(s.value);
  }
}
