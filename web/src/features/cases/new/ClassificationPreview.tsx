/**
 * The live preview of a new case's statistical class: what the elements recorded make
 * it (ICCS code, type, whether it is a kidnapping) and why, or the contradiction that
 * prevents classifying it. The server applies the same rules and remains the authority.
 */
import { useTranslation } from "react-i18next";
import { ClassificationReasons, iccsText } from "../../../components/CaseBadges.tsx";
import type { Preview } from "./draft.ts";

export function ClassificationPreview({ result }: { result: Preview }) {
  const { t } = useTranslation();
  return (
    <section
      className={`panel preview${result.ok && result.classification.kidnapping ? " preview-kidnapping" : ""}`}
      aria-labelledby="preview-title"
      data-testid="case-classification-preview"
      data-iccs={result.ok ? (result.classification.iccs ?? "none") : "contradiction"}
    >
      <h2 id="preview-title">{t("newCase.previewTitle")}</h2>
      <p className="muted small">{t("newCase.previewIntro")}</p>
      <div aria-live="polite" aria-atomic="true">
        {result.ok ? (
          <p className="preview-result">
            <span className="block">{t("newCase.countedAs")}</span>
            <strong className="block preview-class">{iccsText(t, result.classification.iccs)}</strong>
            <span className="block">
              {t("newCase.typeIs", { type: t(`caseType.${result.classification.type}`) })}
            </span>
            <span className={`badge ${result.classification.kidnapping ? "badge-alarm" : "badge-off"}`}>
              {result.classification.kidnapping
                ? t("classification.isKidnapping")
                : t("classification.notKidnapping")}
            </span>
          </p>
        ) : (
          <div className="alert alert-error">
            <p>
              <strong>{t("newCase.contradiction")}</strong>
            </p>
            <ul>
              {result.errors.map((e) => (
                <li key={`${e.path}:${e.message}`}>
                  <strong>{t(`elements.${e.path}`, { defaultValue: e.path })}</strong>:{" "}
                  <span lang="en" dir="ltr">
                    {e.message}
                  </span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
      {result.ok && (
        <details className="reasons-details" open>
          <summary>{t("classification.reasons")}</summary>
          <ClassificationReasons reasons={result.classification.reasons} />
        </details>
      )}
    </section>
  );
}
