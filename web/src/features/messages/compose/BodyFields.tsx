/**
 * The fields every body form shares: the panel that holds a message's content,
 * its summary, and the sender's reference of the case it is about.
 */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { FieldGroup, TextAreaField, TextField } from "../../../components/form/index.ts";
import type { Draft, DraftErrors, DraftSetter } from "./draft.ts";

/** What a body form is given: the draft, its setter and the node's errors. */
export interface BodyFormProps {
  d: Draft;
  set: DraftSetter;
  err: DraftErrors;
}

/** The panel "Content" of the form. */
export function ContentPanel({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <FieldGroup variant="panel" className="form-grid" legend={t("exchange.compose.contentSection")}>
      {children}
    </FieldGroup>
  );
}

/** A notice's summary, in a few lines. */
export function SummaryField({ d, set, err }: BodyFormProps) {
  const { t } = useTranslation();
  return (
    <TextAreaField
      fieldClassName="form-grid-wide"
      label={t("exchange.compose.summary")}
      hint={t("exchange.compose.summaryHint")}
      value={d.summary}
      onChange={set("summary")}
      rows={3}
      dir="auto"
      error={err("body.summary")}
      testId="compose-summary"
    />
  );
}

/** The sender's own reference of the case (sent; the local case chosen above is not). */
export function CaseReferenceField({ d, set, err }: BodyFormProps) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t("exchange.compose.caseReference")}
      hint={t("exchange.compose.caseReferenceHint")}
      value={d.caseReference}
      onChange={set("caseReference")}
      autoComplete="off"
      dir="ltr"
      error={err("body.caseReference")}
      testId="compose-case-reference"
    />
  );
}
