/**
 * The fields that describe a person, the same wherever one is taken down (a
 * person of a case, the person a notice is about): the name and another spelling
 * of it in another script, the date of birth or an age range, sex and
 * nationalities. They sit in the caller's two-column form grid.
 */
import { useTranslation } from "react-i18next";
import { SCRIPTS, SEXES } from "../../constants.ts";
import { SelectField, TextField } from "./Field.tsx";
import { FieldGroup } from "./FieldGroup.tsx";
import { isScript, isSex, type PersonChange, type PersonDraft } from "./person.ts";

interface PersonFieldsProps {
  person: PersonDraft;
  onChange: PersonChange;
  /** The node's error for a field of the person, by its path within the person (`names.0.given`). */
  error: (path: string) => string | undefined;
  /** data-testid of each input is the prefix and the field (`person-given`, `person-age-min`…). */
  testIdPrefix: string;
  /** Whether the first name's script is asked (a case's person: yes; a notice: no). */
  nameScript?: boolean;
}

export function PersonFields({
  person,
  onChange,
  error,
  testIdPrefix,
  nameScript = false,
}: PersonFieldsProps) {
  const { t } = useTranslation();
  const set =
    <K extends keyof PersonDraft>(key: K) =>
    (value: PersonDraft[K]) => {
      const patch: Partial<PersonDraft> = {};
      patch[key] = value;
      onChange(patch);
    };
  const id = (field: string) => `${testIdPrefix}${field}`;
  const scriptOptions = SCRIPTS.map((s) => ({ value: s, label: t(`script.${s}`) }));
  return (
    <>
      <FieldGroup variant="sub" className="form-grid-wide" legend={t("persons.name")}>
        <div className={`form-grid ${nameScript ? "form-grid-3" : "form-grid-2"}`}>
          <TextField
            label={t("persons.given")}
            value={person.given}
            onChange={set("given")}
            dir="auto"
            autoComplete="off"
            error={error("names.0.given") ?? error("names.0") ?? error("names")}
            testId={id("given")}
          />
          <TextField
            label={t("persons.family")}
            value={person.family}
            onChange={set("family")}
            dir="auto"
            autoComplete="off"
            error={error("names.0.family")}
            testId={id("family")}
          />
          {nameScript && (
            <SelectField
              label={t("persons.script")}
              value={person.script}
              onChange={(v) => set("script")(isScript(v) ? v : "latin")}
              options={scriptOptions}
              error={error("names.0.script")}
              testId={id("script")}
            />
          )}
        </div>
      </FieldGroup>
      <FieldGroup
        variant="sub"
        className="form-grid-wide"
        legend={t("persons.otherName")}
        hint={t("persons.otherNameHint")}
      >
        <div className="form-grid form-grid-3">
          <TextField
            label={t("persons.given")}
            value={person.otherGiven}
            onChange={set("otherGiven")}
            dir="auto"
            autoComplete="off"
            error={error("names.1.given") ?? error("names.1")}
            testId={id("other-given")}
          />
          <TextField
            label={t("persons.family")}
            value={person.otherFamily}
            onChange={set("otherFamily")}
            dir="auto"
            autoComplete="off"
            error={error("names.1.family")}
            testId={id("other-family")}
          />
          <SelectField
            label={t("persons.script")}
            value={person.otherScript}
            onChange={(v) => set("otherScript")(isScript(v) ? v : "other")}
            options={scriptOptions}
            error={error("names.1.script")}
            testId={id("other-script")}
          />
        </div>
      </FieldGroup>
      <FieldGroup
        variant="sub"
        className="form-grid-wide"
        legend={t("persons.age")}
        hint={t("persons.ageHint")}
      >
        <div className="form-grid form-grid-3">
          <TextField
            type="date"
            label={t("persons.dateOfBirth")}
            value={person.dateOfBirth}
            onChange={set("dateOfBirth")}
            error={error("dateOfBirth")}
            testId={id("dob")}
          />
          <TextField
            label={t("persons.ageMin")}
            value={person.ageMin}
            onChange={set("ageMin")}
            inputMode="numeric"
            maxLength={3}
            autoComplete="off"
            error={error("ageRange") ?? error("ageRange.min")}
            testId={id("age-min")}
          />
          <TextField
            label={t("persons.ageMax")}
            value={person.ageMax}
            onChange={set("ageMax")}
            inputMode="numeric"
            maxLength={3}
            autoComplete="off"
            error={error("ageRange.max")}
            testId={id("age-max")}
          />
        </div>
      </FieldGroup>
      <SelectField
        label={t("persons.sex")}
        value={person.sex}
        onChange={(v) => set("sex")(isSex(v) ? v : "unknown")}
        options={SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))}
        error={error("sex")}
        testId={id("sex")}
      />
      <TextField
        label={t("persons.nationalities")}
        hint={t("persons.nationalitiesHint")}
        value={person.nationalities}
        onChange={(v) => set("nationalities")(v.toUpperCase())}
        autoComplete="off"
        spellCheck={false}
        dir="ltr"
        error={error("nationalities")}
        testId={id("nationalities")}
      />
    </>
  );
}
