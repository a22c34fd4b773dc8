/**
 * Inline errors: the node names the field it refused (`body.place.country` →
 * `place.country`, see api.ts); a form shows the message next to that field, in
 * the user's language, tied to the input with aria-describedby.
 */
import { useTranslation } from "react-i18next";
import { type ApiProblem, fieldMessage } from "../../api.ts";

/** The ids an input is described by (error first, then hint), or undefined when none. */
export function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean).join(" ");
  return list || undefined;
}

/** A field's error under it: the node's (or a local check's) message in the user's language. */
export function FieldError({ id, message, testId }: { id?: string; message: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <p className="field-error" id={id} data-testid={testId}>
      {fieldMessage(t, message)}
    </p>
  );
}

/** A problem found before sending (same shape as the node's, so the form shows it the same way). */
export function localProblem(fields: Record<string, string>): ApiProblem {
  return { code: "validation_failed", message: "", fields, otherFields: [], status: 0 };
}

/** The error of the first named field that has one (a field may show its parents' errors too). */
export function fieldErrors(problem: ApiProblem | null): (...names: string[]) => string | undefined {
  return (...names) => {
    for (const name of names) {
      const message = problem?.fields[name];
      if (message) return message;
    }
    return undefined;
  };
}

/**
 * Inputs that travel in the query string (filters, a period): the node's field errors
 * (`query.from`) are shown at the inputs; `names`, when given, are the only ones the
 * form has. The query's other errors are not repeated in the general message.
 */
export function queryProblem(problem: ApiProblem, names?: readonly string[]): ApiProblem {
  const fields: Record<string, string> = { ...problem.fields };
  const otherFields: ApiProblem["otherFields"] = [];
  for (const f of problem.otherFields) {
    const name = /^query(?:string)?\.(.+)$/.exec(f.path)?.[1];
    if (!name) otherFields.push(f);
    else if ((!names || names.includes(name)) && fields[name] === undefined) fields[name] = f.message;
  }
  return { ...problem, fields, otherFields };
}
