/** A button for a consequential action that asks for confirmation in place (no native dialog). */
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

interface ConfirmButtonProps {
  label: string;
  question: string;
  onConfirm: () => void | Promise<void>;
  danger?: boolean;
  disabled?: boolean;
  testId?: string;
}

export function ConfirmButton({ label, question, onConfirm, danger, disabled, testId }: ConfirmButtonProps) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) triggerRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button
        type="button"
        ref={triggerRef}
        className={`button ${danger ? "button-danger-outline" : "button-secondary"}`}
        disabled={disabled}
        data-testid={testId}
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <span className="confirm">
      <span className="confirm-question">{question}</span>
      <button
        type="button"
        ref={confirmRef}
        className={`button ${danger ? "button-danger" : "button-primary"}`}
        disabled={busy}
        data-testid={testId ? `${testId}-confirm` : undefined}
        onClick={async () => {
          setBusy(true);
          try {
            await onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {t("common.confirm")}
      </button>
      <button type="button" className="button button-secondary" onClick={() => setAsking(false)}>
        {t("common.cancel")}
      </button>
    </span>
  );
}
