/** A secret shown once (one-time password, API token): prominent, copyable, then dismissed. */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

interface OneTimeSecretProps {
  title: string;
  note: string;
  value: string;
  testId: string;
  onDismiss: () => void;
}

export function OneTimeSecret({ title, note, value, testId, onDismiss }: OneTimeSecretProps) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
  }, []);
  return (
    <section className="one-time-secret" aria-labelledby={`${testId}-title`}>
      <h3 id={`${testId}-title`} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      <p>{note}</p>
      <div className="secret-row">
        <code className="secret-value" data-testid={testId} dir="ltr">
          {value}
        </code>
        <CopyButton value={value} />
      </div>
      <button type="button" className="button button-secondary" onClick={onDismiss}>
        {t("secret.dismiss")}
      </button>
    </section>
  );
}

/** Copies a value to the clipboard and says so in a live region. */
export function CopyButton({ value, label, testId }: { value: string; label?: string; testId?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = window.setTimeout(() => setState("idle"), 4000);
    return () => window.clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <span className="copy">
      <button
        type="button"
        className="button button-secondary button-small"
        data-testid={testId}
        onClick={() => void copy()}
      >
        {label ?? t("secret.copy")}
      </button>
      <span aria-live="polite" className="copy-status">
        {state === "copied" ? t("secret.copied") : state === "failed" ? t("secret.copyFailed") : ""}
      </span>
    </span>
  );
}
