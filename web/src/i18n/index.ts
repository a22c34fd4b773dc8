/**
 * Interface languages: the six official languages of the United Nations.
 * The chosen language is kept in localStorage (so the login page remembers it)
 * and, once signed in, in the user's preferences on the server.
 */
import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import ar from "./ar.json";
import en from "./en.json";
import es from "./es.json";
import fr from "./fr.json";
import { isolatingInterpolation } from "./isolate.ts";
import ru from "./ru.json";
import zh from "./zh.json";

export const LANGUAGES = ["en", "fr", "es", "ar", "zh", "ru"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language named in its own script (deliberately not translated). */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  fr: "Français",
  es: "Español",
  ar: "العربية",
  zh: "中文",
  ru: "Русский",
};

const STORAGE_KEY = "ariadne.language";

export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}

function storedLanguage(): Language | undefined {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function browserLanguage(): Language | undefined {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (isLanguage(base)) return base;
  }
  return undefined;
}

export function textDirection(language: string): "rtl" | "ltr" {
  return language === "ar" ? "rtl" : "ltr";
}

function applyToDocument(language: string): void {
  const root = document.documentElement;
  root.lang = language;
  root.dir = textDirection(language);
  document.title = i18n.t("app.name");
}

/** Switch the interface language (and remember it on this device). */
export async function setLanguage(language: Language): Promise<void> {
  try {
    window.localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Storage may be unavailable (private mode); the choice then lasts for this page only.
  }
  if (i18n.language !== language) await i18n.changeLanguage(language);
}

let chosenWhileSignedOut: Language | undefined;

/** Remember a choice made on the login page: it then applies to the account that signs in. */
export function noteSignedOutChoice(language: Language): void {
  chosenWhileSignedOut = language;
}

/** The language picked on the login page during this visit, if any (asked once, after sign-in). */
export function takeSignedOutChoice(): Language | undefined {
  const chosen = chosenWhileSignedOut;
  chosenWhileSignedOut = undefined;
  return chosen;
}

export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : "en";
}

i18n.on("languageChanged", applyToDocument);

// Resources are bundled, so initialisation completes synchronously (initAsync: false).
void i18n.use(initReactI18next).init({
  resources: {
    en: { translation: en },
    fr: { translation: fr },
    es: { translation: es },
    ar: { translation: ar },
    zh: { translation: zh },
    ru: { translation: ru },
  },
  lng: storedLanguage() ?? browserLanguage() ?? "en",
  fallbackLng: "en",
  supportedLngs: [...LANGUAGES],
  interpolation: isolatingInterpolation(() => textDirection(i18n.language)),
  returnNull: false,
  initAsync: false,
});

applyToDocument(i18n.language);

export default i18n;
