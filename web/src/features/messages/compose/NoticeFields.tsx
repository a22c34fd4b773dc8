/**
 * The body of a notice about a person (abducted or wanted): a summary, the case
 * reference, what is asked of the partners, where and when an abducted person was
 * last seen, and the person themself — the form kit's person fields and a description.
 */
import { useTranslation } from "react-i18next";
import {
  FieldGroup,
  PersonFields,
  SelectField,
  TextAreaField,
  TextField,
} from "../../../components/form/index.ts";
import { NOTICE_REQUESTS } from "../../../constants.ts";
import { type BodyFormProps, CaseReferenceField, ContentPanel, SummaryField } from "./BodyFields.tsx";
import { type PersonDraft, personKey } from "./draft.ts";

interface NoticeFieldsProps extends BodyFormProps {
  onPerson: (patch: Partial<PersonDraft>) => void;
}

export function NoticeFields({ onPerson, ...props }: NoticeFieldsProps) {
  const { t } = useTranslation();
  const { d, set, err } = props;
  const abducted = d.type === "notice.abducted-person";
  const key = personKey(d.type);
  return (
    <>
      <ContentPanel>
        <SummaryField {...props} />
        <CaseReferenceField {...props} />
        <SelectField
          label={t("exchange.body.request")}
          value={d.request}
          onChange={(v) => set("request")(NOTICE_REQUESTS.find((x) => x === v) ?? "locate")}
          options={NOTICE_REQUESTS.map((x) => ({ value: x, label: t(`exchange.request.${x}`) }))}
          error={err("body.request")}
          testId="compose-request"
        />
        {abducted && (
          <>
            <TextField
              label={t("exchange.compose.lastSeenPlace")}
              value={d.lastSeenPlace}
              onChange={set("lastSeenPlace")}
              dir="auto"
              autoComplete="off"
              error={err("body.lastSeen.place", "body.lastSeen")}
              testId="compose-last-seen-place"
            />
            <TextField
              type="datetime-local"
              label={t("exchange.compose.lastSeenAt")}
              hint={t("newCase.occurredAtHint")}
              value={d.lastSeenAt}
              onChange={set("lastSeenAt")}
              error={err("body.lastSeen.at")}
              testId="compose-last-seen-at"
            />
            <TextAreaField
              fieldClassName="form-grid-wide"
              label={t("exchange.compose.circumstances")}
              value={d.circumstances}
              onChange={set("circumstances")}
              rows={3}
              dir="auto"
              error={err("body.circumstances")}
              testId="compose-circumstances"
            />
          </>
        )}
      </ContentPanel>
      <NoticePersonFields
        legend={abducted ? t("exchange.body.victim") : t("exchange.body.wanted")}
        person={d.person}
        onChange={onPerson}
        err={(field) => err(`body.${key}.${field}`)}
      />
    </>
  );
}

/** The person a notice is about: the form kit's person fields and a description. */
function NoticePersonFields({
  legend,
  person,
  onChange,
  err,
}: {
  legend: string;
  person: PersonDraft;
  onChange: (patch: Partial<PersonDraft>) => void;
  err: (field: string) => string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <FieldGroup
      variant="panel"
      className="form-grid"
      legend={legend}
      hint={t("exchange.compose.personHint")}
      hintClassName="form-grid-wide"
      testId="compose-person"
    >
      <PersonFields person={person} onChange={onChange} error={err} testIdPrefix="compose-person-" />
      <TextAreaField
        fieldClassName="form-grid-wide"
        label={t("exchange.compose.description")}
        hint={t("exchange.compose.descriptionHint")}
        value={person.description}
        onChange={(description) => onChange({ description })}
        rows={3}
        dir="auto"
        error={err("description")}
        testId="compose-person-description"
      />
    </FieldGroup>
  );
}
