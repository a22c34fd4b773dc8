/** The body of a request for information: the question, how urgent it is, the case it is about. */
import { useTranslation } from "react-i18next";
import { SelectField, TextAreaField } from "../../../components/form/index.ts";
import { URGENCIES } from "../../../constants.ts";
import { type BodyFormProps, CaseReferenceField, ContentPanel } from "./BodyFields.tsx";

export function InfoRequestFields(props: BodyFormProps) {
  const { t } = useTranslation();
  const { d, set, err } = props;
  return (
    <ContentPanel>
      <TextAreaField
        fieldClassName="form-grid-wide"
        label={t("exchange.compose.question")}
        value={d.question}
        onChange={set("question")}
        rows={5}
        dir="auto"
        error={err("body.question")}
        testId="compose-question"
      />
      <SelectField
        label={t("exchange.body.urgency")}
        hint={t("exchange.compose.urgencyHint")}
        value={d.urgency}
        onChange={(v) => set("urgency")(URGENCIES.find((x) => x === v) ?? "routine")}
        options={URGENCIES.map((x) => ({ value: x, label: t(`urgency.${x}`) }))}
        error={err("body.urgency")}
        testId="compose-urgency"
      />
      <CaseReferenceField {...props} />
    </ContentPanel>
  );
}
