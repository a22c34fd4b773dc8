/**
 * A person as the forms take them down (a case's person, the person of a notice):
 * a name and another spelling in another script, a date of birth or an age range,
 * sex and nationalities — all as typed, until the form builds its request.
 */
import { SCRIPTS, SEXES } from "../../constants.ts";
import { wholeNumber } from "./input.ts";

export type Script = (typeof SCRIPTS)[number];
export type Sex = (typeof SEXES)[number];

export interface PersonDraft {
  given: string;
  family: string;
  /** The script of the first name (a notice's first name carries none). */
  script: Script;
  otherGiven: string;
  otherFamily: string;
  otherScript: Script;
  dateOfBirth: string;
  ageMin: string;
  ageMax: string;
  sex: Sex;
  nationalities: string;
}

export const EMPTY_PERSON: PersonDraft = {
  given: "",
  family: "",
  script: "latin",
  otherGiven: "",
  otherFamily: "",
  otherScript: "arabic",
  dateOfBirth: "",
  ageMin: "",
  ageMax: "",
  sex: "unknown",
  nationalities: "",
};

/** A change to some of a person's fields (the caller's draft takes them in). */
export type PersonChange = (patch: Partial<PersonDraft>) => void;

/**
 * The age range typed (one bound alone stands for both), null when none; "invalid" when a
 * bound is not a whole number (said at the field `ageRange`).
 */
export function ageRangeOf(p: PersonDraft): { min: number; max: number } | null | "invalid" {
  const min = wholeNumber(p.ageMin);
  const max = wholeNumber(p.ageMax);
  if (Number.isNaN(min) || Number.isNaN(max)) return "invalid";
  if (min === null && max === null) return null;
  return { min: min ?? max ?? 0, max: max ?? min ?? 0 };
}

export function isScript(value: string): value is Script {
  return (SCRIPTS as readonly string[]).includes(value);
}

export function isSex(value: string): value is Sex {
  return (SEXES as readonly string[]).includes(value);
}
