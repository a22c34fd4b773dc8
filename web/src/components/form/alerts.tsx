/** A form's general outcome: the problem of a failed request, or a one-line success. */
import { useTranslation } from "react-i18next";
import { type ApiProblem, fieldMessage, problemMessage } from "../../api.ts";

/**
 * The general message of a failed request, in a live region that is always
 * present (so screen readers announce the message when it appears).
 */
export function ProblemAlert({ problem, className }: { problem: ApiProblem | null; className?: string }) {
  const { t, i18n } = useTranslation();
  const hasFieldErrors = problem !== null && Object.keys(problem.fields).length > 0;
  return (
    <div aria-live="assertive" aria-atomic="true" className={className}>
      {problem && (
        <div className="alert alert-error" data-testid="error-message">
          <p>
            {problem.code === "validation_failed" && hasFieldErrors
              ? t("errors.checkFields")
              : problemMessage(t, problem, i18n.language)}
          </p>
          {problem.otherFields.length > 0 && (
            <ul>
              {problem.otherFields.map((f) => (
                <li key={f.path}>
                  <code>{f.path}</code> {fieldMessage(t, f.message)}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** A one-line status message (success) in a polite live region. */
export function StatusMessage({ message }: { message: string | null }) {
  return (
    <div aria-live="polite" aria-atomic="true">
      {message && <p className="alert alert-success">{message}</p>}
    </div>
  );
}
