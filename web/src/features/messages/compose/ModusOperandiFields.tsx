/** The body of a modus-operandi notice: a summary, the typology, and its indicators one per line. */
import { useTranslation } from "react-i18next";
import { SelectField, TextAreaField } from "../../../components/form/index.ts";
import { OPERATIONAL_TYPES } from "../../../constants.ts";
import { type BodyFormProps, ContentPanel, SummaryField } from "./BodyFields.tsx";

export function ModusOperandiFields(props: BodyFormProps) {
  const { t } = useTranslation();
  const { d, set, err } = props;
  return (
    <ContentPanel>
      <SummaryField {...props} />
      <SelectField
        label={t("exchange.body.typology")}
        value={d.typology}
        onChange={set("typology")}
        options={[
          { value: "", label: t("exchange.compose.noTypology") },
          ...OPERATIONAL_TYPES.map((x) => ({ value: x, label: t(`caseType.${x}`) })),
        ]}
        error={err("body.typology")}
        testId="compose-typology"
      />
      <TextAreaField
        fieldClassName="form-grid-wide"
        label={t("exchange.body.indicators")}
        hint={t("exchange.compose.onePerLine")}
        value={d.indicators}
        onChange={set("indicators")}
        rows={5}
        dir="auto"
        error={err("body.indicators")}
        testId="compose-indicators"
      />
    </ContentPanel>
  );
}
