/**
 * Names as they come in real cases, for matching (clear and private alike):
 * - any script to Latin (src/domain/names.ts: `transliteration`, good for Cyrillic and Chinese;
 *   Arabic script is written without short vowels, so it also gets a consonant skeleton, below);
 * - accents, case and punctuation dropped; `al-Rashid`, `Abd al-Rahman`, `Abdul Rahman`,
 *   `Abdelrahman` to one form; the common spellings of Muhammad to one;
 * - particles dropped (de, da, del, dos, van, von, al, el, bin, ibn…), so that `João da Silva`
 *   and `Joao Silva` agree;
 * - the name as a *set* of tokens, given names and surnames together, so that a swapped given
 *   name and surname, Spanish and Portuguese surname order, and Chinese family-name-first order
 *   all give the same tokens; a missing second surname loses one token, not the match;
 * - typos are left to the comparison (bigrams in the encodings, Jaro–Winkler in clear text);
 * - a consonant skeleton of each token (vowels and w/y dropped, doubled letters merged, a few
 *   spelling folds), under which `محمد` (mhmd), `Muhammad`, `Mohamed` and `Mohammed` agree, and
 *   `Yousef`/`Youssef`/`Yusuf`/`يوسف` too.
 */
import { searchForm } from "../../domain/names.ts";

/** Words that are not names on their own: particles, articles and kinship links. */
export const PARTICLES = new Set([
  "de",
  "da",
  "das",
  "do",
  "dos",
  "del",
  "della",
  "dei",
  "di",
  "du",
  "des",
  "la",
  "las",
  "le",
  "los",
  "y",
  "e",
  "i",
  "van",
  "vander",
  "der",
  "den",
  "ter",
  "ten",
  "von",
  "zu",
  "al",
  "el",
  "ul",
  "bin",
  "ben",
  "ibn",
  "bint",
  "binti",
  "ould",
  "ait",
  "abu",
  "bn", // بن written without its vowel
]);

/** Particles that are also given names or initials (Ben, Al, Abu, E.): kept as the first word. */
const AMBIGUOUS = new Set(["ben", "al", "el", "abu", "e", "i", "y", "la", "le", "du", "do", "da", "de"]);

const ARABIC_LETTERS: Record<string, string> = {
  ب: "b",
  ت: "t",
  ث: "th",
  ج: "j",
  ح: "h",
  خ: "kh",
  د: "d",
  ذ: "dh",
  ر: "r",
  ز: "z",
  س: "s",
  ش: "sh",
  ص: "s",
  ض: "d",
  ط: "t",
  ظ: "z",
  غ: "gh",
  ف: "f",
  ق: "q",
  ك: "k",
  ک: "k",
  گ: "g",
  ل: "l",
  م: "m",
  ن: "n",
  ه: "h",
  پ: "p",
  چ: "ch",
  ژ: "zh",
  // Long vowels, glides, hamza and ʿayn: vowels in a skeleton.
  ا: "a",
  أ: "a",
  إ: "i",
  آ: "a",
  ى: "a",
  ي: "i",
  ی: "i",
  و: "u",
  ع: "a",
  ء: "",
  ئ: "",
  ؤ: "",
  ة: "a",
};

const ARABIC_RE = /[\u0600-\u06FF]/;

/** Arabic script letter by letter to a consonant-faithful Latin spelling (for skeletons). */
function arabicToLatin(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC")) {
    // A word-initial yāʾ or wāw is a consonant (Yusuf, Walid).
    const m = out === "" && (ch === "ي" || ch === "و") ? (ch === "ي" ? "y" : "w") : ARABIC_LETTERS[ch];
    if (m !== undefined) out += m;
    else if (/[\u064B-\u065F\u0670\u0640]/.test(ch))
      continue; // harakat, tatweel
    else if (ARABIC_RE.test(ch)) continue;
    else out += ch;
  }
  return out;
}

/** Merge the common spellings of a few very frequent name forms. */
function foldToken(t: string): string {
  if (/^m[ou]h[ae]?m+[ae]d$|^m[ou]ham+[ae]d$|^mhm+d$/.test(t)) return "muhammad";
  if (/^a?hm[ae]d$/.test(t)) return "ahmad";
  return t;
}

/**
 * The Latin tokens of a name in any script, particles removed, `abd al X`, `abdul X`, `abdel X`
 * joined to `abdX`. Leaves order as written; callers that want order-independence sort.
 */
export function nameTokens(...parts: (string | undefined | null)[]): string[] {
  const raw = parts.filter((p): p is string => !!p && !!p.trim()).join(" ");
  if (!raw) return [];
  const words = ARABIC_RE.test(raw) ? arabicWords(raw) : latin(raw).split(" ");
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let w = words[i] ?? "";
    if (!w) continue;
    // Abd al-Rahman, Abdul Rahman, Abdel Rahman, Abdelrahman, Abdulrahman → abdrahman.
    if (/^abd(?:ul|el|al|ol|u|e|ou)?$/.test(w) && i + 1 < words.length) {
      let j = i + 1;
      if (PARTICLES.has(words[j] ?? "") && j + 1 < words.length) j++;
      w = `abd${words[j]}`;
      i = j;
    } else if (/^abd(?:ul|el|al|ol)[a-z]{3,}$/.test(w)) {
      w = `abd${w.slice(5)}`;
    }
    // Attached articles: alrashid / elrashid stay (ambiguous), but "al" alone is a particle.
    if (PARTICLES.has(w) && !(out.length === 0 && i === 0 && AMBIGUOUS.has(w) && words.length > 1)) continue;
    out.push(foldToken(w));
  }
  // A name made only of particles ("De La", "Ben") keeps them rather than vanishing.
  if (!out.length) return latin(raw).split(" ").filter(Boolean);
  return out;
}

/** searchForm (src/domain/names.ts), with a fast path for plain ASCII, which it leaves as is. */
function latin(raw: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range
  if (/^[\x00-\x7f]*$/.test(raw))
    return raw
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, " ")
      .trim();
  return searchForm(raw);
}

function arabicWords(raw: string): string[] {
  return raw
    .split(/[\s\-_.,]+/)
    .filter(Boolean)
    .map((w) => {
      // The article ال written attached to the word.
      const bare = /^[\u0600-\u06FF]+$/.test(w) && w.startsWith("ال") && w.length > 4 ? w.slice(2) : w;
      return /[\u0600-\u06FF]/.test(bare) ? arabicToLatin(bare) : searchForm(bare);
    })
    .map((w) => w.toLowerCase().replace(/[^a-z0-9]+/g, ""))
    .filter(Boolean);
}

/**
 * The consonant skeleton of a Latin token: spelling folds (ph→f, x→ks, q→k, c→k, z→s, j→y…),
 * then vowels, w and y (but an initial one) and h after a consonant dropped, doubled letters merged.
 */
export function skeleton(token: string): string {
  let s = token
    .replace(/ph/g, "f")
    .replace(/x/g, "ks")
    .replace(/ck/g, "k")
    .replace(/q/g, "k")
    .replace(/c(?=[eiy])/g, "s")
    .replace(/c/g, "k")
    .replace(/z/g, "s")
    .replace(/([bdgkpst])h/g, "$1")
    .replace(/dj/g, "j")
    .replace(/v/g, "b");
  s = s.slice(0, 1) + s.slice(1).replace(/[yw]/g, "");
  s = s.replace(/[aeiou]/g, "");
  s = s.replace(/(.)\1+/g, "$1");
  return s || token.slice(0, 1);
}

/** A name as an order-free set of tokens (sorted, de-duplicated). */
export function nameTokenSet(...parts: (string | undefined | null)[]): string[] {
  return [...new Set(nameTokens(...parts))].sort();
}
