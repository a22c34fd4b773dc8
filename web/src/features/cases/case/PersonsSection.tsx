/**
 * The people of a case — victims, suspects, family contacts, witnesses,
 * negotiators — with every spelling of their names in the scripts they were
 * recorded in. Any member of the team records a person; the node normalises
 * phones to E.164 and checks IBANs, and says which field it refused and why.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type PersonBody, type PersonView, run } from "../../../api.ts";
import {
  ageRangeOf,
  codeList,
  EMPTY_PERSON,
  FieldGroup,
  fieldErrors,
  localProblem,
  opt,
  type PersonDraft,
  PersonFields,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
} from "../../../components/form/index.ts";
import { DOCUMENT_TYPES, PERSON_ROLES } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { AddForm, Missing, spacedIban } from "./common.tsx";

type PersonRole = PersonBody["role"];
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

interface Draft extends PersonDraft {
  role: PersonRole;
  phone: string;
  phoneRegion: string;
  iban: string;
  documentType: DocumentType;
  documentCountry: string;
  documentNumber: string;
}

const EMPTY: Draft = {
  ...EMPTY_PERSON,
  role: "victim",
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
  const err = fieldErrors(problem);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const ageRange = ageRangeOf(d);
    if (ageRange === "invalid") {
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
    if (ageRange) body.ageRange = ageRange;
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
        <PersonFields
          person={d}
          onChange={(patch) => setD((prev) => ({ ...prev, ...patch }))}
          error={(f) => err(f)}
          testIdPrefix="person-"
          nameScript
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
        <FieldGroup variant="sub" className="form-grid-wide" legend={t("persons.document")}>
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
        </FieldGroup>
        <div className="form-grid-wide">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="person-submit">
            {busy ? t("common.saving") : t("persons.submit")}
          </button>
        </div>
      </form>
    </>
  );
}
