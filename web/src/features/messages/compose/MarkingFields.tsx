/**
 * A message's marking: its TLP, the people a TLP:RED message is for, its handling
 * codes and, with H3, the restrictions in words. Chosen with a case, it starts as
 * the case's marking.
 */
import { useTranslation } from "react-i18next";
import {
  CheckboxGroup,
  FieldGroup,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../components/form/index.ts";
import { ALL_HANDLING, ALL_TLP } from "../../../constants.ts";
import type { Draft, DraftErrors, DraftSetter } from "./draft.ts";

export function MarkingFields({ d, set, err }: { d: Draft; set: DraftSetter; err: DraftErrors }) {
  const { t } = useTranslation();
  return (
    <FieldGroup variant="panel" className="form-grid" legend={t("newCase.handlingSection")}>
      <SelectField
        fieldClassName="form-grid-wide"
        label={t("case.tlp")}
        hint={t("exchange.compose.tlpHint")}
        value={d.tlp}
        onChange={(v) => set("tlp")(ALL_TLP.find((x) => x === v) ?? "amber")}
        options={ALL_TLP.map((l) => ({
          value: l,
          label: `TLP:${l.toUpperCase()} — ${t(`tlp.${l === "amber+strict" ? "amber-strict" : l}`)}`,
        }))}
        error={err("tlp")}
        testId="compose-tlp"
      />
      {d.tlp === "red" && (
        <TextField
          fieldClassName="form-grid-wide"
          label={t("exchange.compose.namedRecipients")}
          hint={t("exchange.compose.namedRecipientsHint")}
          value={d.namedRecipients}
          onChange={set("namedRecipients")}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          error={err("namedRecipients")}
          testId="compose-named-recipients"
        />
      )}
      <div className="form-grid-wide">
        <CheckboxGroup
          legend={t("newCase.handlingCodes")}
          hint={t("exchange.compose.handlingHint")}
          options={ALL_HANDLING.map((h) => ({
            value: h,
            label: `${h} — ${t(`handlingCode.${h}.long`)}`,
          }))}
          selected={d.handling}
          onChange={set("handling")}
          error={err("handling")}
          testIdPrefix="compose-handling-"
        />
      </div>
      {d.handling.includes("H3") && (
        <TextAreaField
          fieldClassName="form-grid-wide"
          label={t("exchange.compose.restrictions")}
          hint={t("exchange.compose.restrictionsHint")}
          value={d.restrictions}
          onChange={set("restrictions")}
          rows={3}
          maxLength={2000}
          error={err("restrictions")}
          testId="compose-restrictions"
        />
      )}
    </FieldGroup>
  );
}
