/**
 * The people of a case — victims, suspects, family contacts, witnesses,
 * negotiators — with every spelling of their names in the scripts they were
 * recorded in. Any member of the team records a person; the node normalises
 * phones to E.164 and checks IBANs, and says which field it refused and why.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type PersonBody, type PersonView, run } from "../../../api.ts";
import { ProblemAlert, SelectField, StatusMessage, TextField } from "../../../components/Form.tsx";
import { DOCUMENT_TYPES, PERSON_ROLES, SCRIPTS, SEXES } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { AddForm, codeList, localProblem, Missing, opt, spacedIban, wholeNumber } from "./common.tsx";

type PersonRole = PersonBody["role"];
type Script = NonNullable<PersonBody["names"][number]["script"]>;
type Sex = NonNullable<PersonBody["sex"]>;
type DocumentType = NonNullable<PersonBody["documents"]>[number]["type"];

export function PersonsSection({
  caseId,
  persons,
  problem,
  onAdded,
}: {
  caseId: string;
  persons: PersonView[] | null;
  problem: ApiProblem | null;
  onAdded: (p: PersonView) => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="section panel" id="case-persons" aria-labelledby="case-persons-title">
      <h2 id="case-persons-title">{t("persons.title")}</h2>
      <p className="muted">{t("persons.intro")}</p>
      <ProblemAlert problem={problem} />
      {persons === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <PersonsTable persons={persons} />
      )}
      <AddForm summary={t("persons.addTitle")} testId="person-add">
        <AddPerson caseId={caseId} onAdded={onAdded} />
      </AddForm>
    </section>
  );
}

function PersonsTable({ persons }: { persons: PersonView[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (persons.length === 0) return <p className="empty-note">{t("persons.none")}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table wrap-head" data-testid="persons-table">
        <caption className="visually-hidden">{t("persons.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("persons.role")}</th>
            <th scope="col">{t("persons.names")}</th>
            <th scope="col">{t("persons.born")}</th>
            <th scope="col">{t("persons.sex")}</th>
            <th scope="col">{t("persons.nationalities")}</th>
            <th scope="col">{t("persons.documents")}</th>
            <th scope="col">{t("persons.phones")}</th>
            <th scope="col">{t("persons.ibans")}</th>
          </tr>
        </thead>
        <tbody>
          {persons.map((p) => (
            <tr key={p.id} data-testid="person-row" data-role={p.role}>
              <td>
                <span className={`badge ${p.role === "victim" ? "badge-alarm" : "badge-info"}`}>
                  {t(`personRole.${p.role}`)}
                </span>
              </td>
              <td>
                <ul className="plain-list">
                  {p.names.map((n, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: name variants have no id and never move
                    <li key={i}>
                      <bdi className="person-name">{[n.given, n.family].filter(Boolean).join(" ")}</bdi>
                      <span className="muted small block">{t(`script.${n.script}`)}</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                {p.dateOfBirth ? (
                  format.date(p.dateOfBirth)
                ) : p.ageRange ? (
                  t("persons.ageRangeValue", { min: p.ageRange.min, max: p.ageRange.max })
                ) : (
                  <Missing>{t("common.unknown")}</Missing>
                )}
              </td>
              <td>{t(`sex.${p.sex}`, { defaultValue: p.sex })}</td>
              <td>
                {p.nationalities.length ? (
                  <span dir="ltr">{p.nationalities.join(" ")}</span>
                ) : (
                  <Missing>—</Missing>
                )}
              </td>
              <td>
                {p.documents.length ? (
                  <ul className="plain-list">
                    {p.documents.map((d) => (
                      <li key={`${d.type}:${d.country}:${d.number}`}>
                        {t(`documentType.${d.type}`, { defaultValue: d.type })}{" "}
                        <span dir="ltr" className="nowrap">
                          {d.country} <code>{d.number}</code>
                        </span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Missing>—</Missing>
                )}
              </td>
              <td>
                {p.phones.length ? (
                  <ul className="plain-list">
                    {p.phones.map((ph) => (
                      <li key={ph}>
                        <code dir="ltr" data-testid="person-phone-value">
                          {ph}
                        </code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Missing>—</Missing>
                )}
              </td>
              <td>
                {p.ibans.length ? (
                  <ul className="plain-list">
                    {p.ibans.map((iban) => (
                      <li key={iban}>
                        <code dir="ltr" className="nowrap">
                          {spacedIban(iban)}
                        </code>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <Missing>—</Missing>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Draft {
  role: PersonRole;
  given: string;
  family: string;
  script: Script;
  otherGiven: string;
  otherFamily: string;
  otherScript: Script;
  dateOfBirth: string;
  ageMin: string;
  ageMax: string;
  sex: Sex;
  nationalities: string;
  phone: string;
  phoneRegion: string;
  iban: string;
  documentType: DocumentType;
  documentCountry: string;
  documentNumber: string;
}

const EMPTY: Draft = {
  role: "victim",
  given: "",
  family: "",
  script: "latin",
  otherGiven: "",
  otherFamily: "",
  otherScript: "arabic",
  dateOfBirth: "",
  ageMin: "",
  ageMax: "",
  sex: "unknown",
  nationalities: "",
  phone: "",
  phoneRegion: "",
  iban: "",
  documentType: "passport",
  documentCountry: "",
  documentNumber: "",
};

const FIELDS = [
  "role",
  "names",
  "names.0",
  "names.0.given",
  "names.0.family",
  "names.0.script",
  "names.1",
  "names.1.given",
  "names.1.family",
  "names.1.script",
  "dateOfBirth",
  "ageRange",
  "sex",
  "nationalities",
  "phones",
  "phones.0.number",
  "phones.0.region",
  "ibans",
  "documents",
  "documents.0.type",
  "documents.0.country",
  "documents.0.number",
];

function AddPerson({ caseId, onAdded }: { caseId: string; onAdded: (p: PersonView) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));
  const err = (...names: string[]) => {
    for (const n of names) if (problem?.fields[n]) return problem.fields[n];
    return undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const min = wholeNumber(d.ageMin);
    const max = wholeNumber(d.ageMax);
    if (Number.isNaN(min) || Number.isNaN(max)) {
      setProblem(localProblem({ ageRange: "must be a whole number" }));
      return;
    }
    const body: PersonBody = {
      role: d.role,
      names: [{ given: opt(d.given), family: opt(d.family), script: d.script }],
      sex: d.sex,
      nationalities: codeList(d.nationalities),
    };
    if (opt(d.otherGiven) || opt(d.otherFamily)) {
      body.names.push({ given: opt(d.otherGiven), family: opt(d.otherFamily), script: d.otherScript });
    }
    if (d.dateOfBirth) body.dateOfBirth = d.dateOfBirth;
    if (min !== null || max !== null) body.ageRange = { min: min ?? max ?? 0, max: max ?? min ?? 0 };
    if (opt(d.phone)) {
      body.phones = [{ number: d.phone.trim(), region: opt(d.phoneRegion)?.toUpperCase() }];
    }
    if (opt(d.iban)) body.ibans = [d.iban.trim()];
    if (opt(d.documentNumber) || opt(d.documentCountry)) {
      body.documents = [
        {
          type: d.documentType,
          country: d.documentCountry.trim().toUpperCase(),
          number: d.documentNumber.trim(),
        },
      ];
    }
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/persons", { params: { path: { id: caseId } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, FIELDS));
      return;
    }
    onAdded(r.data);
    setD({ ...EMPTY, role: d.role });
    setDone(t("persons.added", { name: r.data.displayName, role: t(`personRole.${r.data.role}`) }));
  };

  const scriptOptions = SCRIPTS.map((s) => ({ value: s, label: t(`script.${s}`) }));
  return (
    <>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid compact-form">
        <SelectField
          label={t("persons.role")}
          value={d.role}
          onChange={(v) => set("role")(PERSON_ROLES.find((r) => r === v) ?? "victim")}
          options={PERSON_ROLES.map((r) => ({ value: r, label: t(`personRole.${r}`) }))}
          error={err("role")}
          testId="person-role"
        />
        <SelectField
          label={t("persons.sex")}
          value={d.sex}
          onChange={(v) => set("sex")(SEXES.find((s) => s === v) ?? "unknown")}
          options={SEXES.map((s) => ({ value: s, label: t(`sex.${s}`) }))}
          error={err("sex")}
          testId="person-sex"
        />
        <fieldset className="form-grid-wide subfieldset">
          <legend>{t("persons.name")}</legend>
          <div className="form-grid form-grid-3">
            <TextField
              label={t("persons.given")}
              value={d.given}
              onChange={set("given")}
              dir="auto"
              autoComplete="off"
              error={err("names.0.given", "names.0", "names")}
              testId="person-given"
            />
            <TextField
              label={t("persons.family")}
              value={d.family}
              onChange={set("family")}
              dir="auto"
              autoComplete="off"
              error={err("names.0.family")}
              testId="person-family"
            />
            <SelectField
              label={t("persons.script")}
              value={d.script}
              onChange={(v) => set("script")(SCRIPTS.find((s) => s === v) ?? "latin")}
              options={scriptOptions}
              error={err("names.0.script")}
              testId="person-script"
            />
          </div>
        </fieldset>
        <fieldset className="form-grid-wide subfieldset">
          <legend>{t("persons.otherName")}</legend>
          <p className="field-hint">{t("persons.otherNameHint")}</p>
          <div className="form-grid form-grid-3">
            <TextField
              label={t("persons.given")}
              value={d.otherGiven}
              onChange={set("otherGiven")}
              dir="auto"
              autoComplete="off"
              error={err("names.1.given", "names.1")}
              testId="person-other-given"
            />
            <TextField
              label={t("persons.family")}
              value={d.otherFamily}
              onChange={set("otherFamily")}
              dir="auto"
              autoComplete="off"
              error={err("names.1.family")}
              testId="person-other-family"
            />
            <SelectField
              label={t("persons.script")}
              value={d.otherScript}
              onChange={(v) => set("otherScript")(SCRIPTS.find((s) => s === v) ?? "other")}
              options={scriptOptions}
              error={err("names.1.script")}
              testId="person-other-script"
            />
          </div>
        </fieldset>
        <fieldset className="form-grid-wide subfieldset">
          <legend>{t("persons.age")}</legend>
          <p className="field-hint">{t("persons.ageHint")}</p>
          <div className="form-grid form-grid-3">
            <TextField
              type="date"
              label={t("persons.dateOfBirth")}
              value={d.dateOfBirth}
              onChange={set("dateOfBirth")}
              error={err("dateOfBirth")}
              testId="person-dob"
            />
            <TextField
              label={t("persons.ageMin")}
              value={d.ageMin}
              onChange={set("ageMin")}
              inputMode="numeric"
              maxLength={3}
              autoComplete="off"
              error={err("ageRange")}
              testId="person-age-min"
            />
            <TextField
              label={t("persons.ageMax")}
              value={d.ageMax}
              onChange={set("ageMax")}
              inputMode="numeric"
              maxLength={3}
              autoComplete="off"
              testId="person-age-max"
            />
          </div>
        </fieldset>
        <TextField
          label={t("persons.nationalities")}
          hint={t("persons.nationalitiesHint")}
          value={d.nationalities}
          onChange={(v) => set("nationalities")(v.toUpperCase())}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          error={err("nationalities")}
          testId="person-nationalities"
        />
        <div className="field-pair">
          <TextField
            label={t("persons.phone")}
            hint={t("persons.phoneHint")}
            type="tel"
            value={d.phone}
            onChange={set("phone")}
            autoComplete="off"
            dir="ltr"
            error={err("phones.0.number", "phones")}
            testId="person-phone"
          />
          <TextField
            label={t("persons.phoneRegion")}
            hint={t("persons.phoneRegionHint")}
            value={d.phoneRegion}
            onChange={(v) => set("phoneRegion")(v.toUpperCase())}
            maxLength={2}
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            error={err("phones.0.region")}
            testId="person-phone-region"
            fieldClassName="field-narrow"
          />
        </div>
        <TextField
          label={t("persons.iban")}
          hint={t("persons.ibanHint")}
          value={d.iban}
          onChange={set("iban")}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          error={err("ibans.0", "ibans")}
          testId="person-iban"
        />
        <fieldset className="form-grid-wide subfieldset">
          <legend>{t("persons.document")}</legend>
          <div className="form-grid form-grid-3">
            <SelectField
              label={t("persons.documentType")}
              value={d.documentType}
              onChange={(v) => set("documentType")(DOCUMENT_TYPES.find((x) => x === v) ?? "other")}
              options={DOCUMENT_TYPES.map((x) => ({ value: x, label: t(`documentType.${x}`) }))}
              error={err("documents.0.type")}
              testId="person-document-type"
            />
            <TextField
              label={t("persons.documentCountry")}
              value={d.documentCountry}
              onChange={(v) => set("documentCountry")(v.toUpperCase())}
              maxLength={3}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err("documents.0.country")}
              testId="person-document-country"
            />
            <TextField
              label={t("persons.documentNumber")}
              value={d.documentNumber}
              onChange={set("documentNumber")}
              autoComplete="off"
              spellCheck={false}
              dir="ltr"
              error={err("documents.0.number", "documents")}
              testId="person-document-number"
            />
          </div>
        </fieldset>
        <div className="form-grid-wide">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="person-submit">
            {busy ? t("common.saving") : t("persons.submit")}
          </button>
        </div>
      </form>
    </>
  );
}
