/**
 * One searchable spelling of a name in any script: transliterated to Latin
 * letters (Cyrillic and Chinese well, Arabic only roughly: record the Latin
 * variant too), accents dropped, lower case, punctuation to spaces.
 */
import { transliterate } from "transliteration";

export function searchForm(text: string): string {
  return transliterate(text.normalize("NFC"))
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}
