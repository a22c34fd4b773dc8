/**
 * The interface-language switcher. Signed in, the choice is also saved as the
 * user's preference on the server; on the login page it is kept on this device.
 */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, run } from "../api.ts";
import {
  currentLanguage,
  isLanguage,
  LANGUAGE_NAMES,
  LANGUAGES,
  noteSignedOutChoice,
  setLanguage,
} from "../i18n/index.ts";
import { useSession } from "../session.tsx";

interface LanguageSelectProps {
  /** data-testid of the <select> (only the header's switcher carries `language-select`). */
  testId?: string;
  className?: string;
  label?: string;
}

export function LanguageSelect({ testId, className, label }: LanguageSelectProps) {
  const { t } = useTranslation();
  const { state, updateUser } = useSession();
  const id = `lang${useId().replace(/:/g, "")}`;
  const [failed, setFailed] = useState(false);

  const change = async (value: string) => {
    if (!isLanguage(value)) return;
    setFailed(false);
    await setLanguage(value);
    if (state.status === "signed-in") {
      const r = await run(api.PATCH("/api/me/preferences", { body: { language: value } }));
      if (r.ok) updateUser(r.data);
      else setFailed(true);
    } else {
      noteSignedOutChoice(value);
    }
  };

  return (
    <div className={`language-select ${className ?? ""}`}>
      <label htmlFor={id} className="language-label">
        {label ?? t("language.label")}
      </label>
      <select
        id={id}
        value={currentLanguage()}
        data-testid={testId}
        onChange={(e) => void change(e.target.value)}
        aria-describedby={failed ? `${id}-error` : undefined}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l} dir={l === "ar" ? "rtl" : "ltr"}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
      {failed && (
        <span className="language-error" id={`${id}-error`} role="alert">
          {t("language.notSaved")}
        </span>
      )}
    </div>
  );
}
