/**
 * Organised groups, vehicles and selectors (phones, bank accounts, crypto
 * wallets) of a case: short lists, each with a compact add form. The node keeps
 * plates and selectors normalised, so that search finds them however typed.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CaseRecords,
  forFields,
  type GroupBody,
  type GroupView,
  type PersonView,
  run,
  type SelectorBody,
  type SelectorView,
  type VehicleBody,
  type VehicleView,
} from "../../../api.ts";
import {
  codeList,
  fieldErrors,
  opt,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
  textList,
} from "../../../components/form/index.ts";
import { CRYPTO_ASSETS, SELECTOR_KINDS, VEHICLE_USES } from "../../../constants.ts";
import { AddForm, Missing, type RecordsUpdate, spacedIban } from "./common.tsx";

export function RecordsSections({
  caseId,
  records,
  persons,
  problem,
  onRecords,
}: {
  caseId: string;
  records: CaseRecords | null;
  persons: PersonView[];
  problem: ApiProblem | null;
  onRecords: RecordsUpdate;
}) {
  const { t } = useTranslation();
  return (
    <section className="section panel" id="case-records" aria-labelledby="case-records-title">
      <h2 id="case-records-title">{t("records.title")}</h2>
      <p className="muted">{t("records.intro")}</p>
      <ProblemAlert problem={problem} />
      {records === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <div className="records-grid">
          <Groups
            caseId={caseId}
            groups={records.groups}
            onAdded={(g) => onRecords((prev) => ({ ...prev, groups: [...prev.groups, g] }))}
          />
          <Vehicles
            caseId={caseId}
            vehicles={records.vehicles}
            onAdded={(v) => onRecords((prev) => ({ ...prev, vehicles: [...prev.vehicles, v] }))}
          />
          <Selectors
            caseId={caseId}
            selectors={records.selectors}
            persons={persons}
            onAdded={(s) => onRecords((prev) => ({ ...prev, selectors: [...prev.selectors, s] }))}
          />
        </div>
      )}
    </section>
  );
}

/** Submitting a small form: busy flag, the node's problem restricted to the form's fields, a success line. */
function useSmallForm(fields: readonly string[]) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async <T,>(
    call: () => Promise<{ ok: true; data: T } | { ok: false; problem: ApiProblem }>,
  ) => {
    setProblem(null);
    setDone(null);
    setBusy(true);
    const r = await call();
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, fields));
      return null;
    }
    return r.data;
  };
  return { problem, done, setDone, busy, send, err: fieldErrors(problem) };
}

// ---- Groups ----------------------------------------------------------------------------------

function Groups({
  caseId,
  groups,
  onAdded,
}: {
  caseId: string;
  groups: GroupView[];
  onAdded: (g: GroupView) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [aliases, setAliases] = useState("");
  const [countries, setCountries] = useState("");
  const [description, setDescription] = useState("");
  const form = useSmallForm(["name", "aliases", "countries", "description"]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: GroupBody = {
      name: name.trim(),
      aliases: textList(aliases),
      countries: codeList(countries),
      description: opt(description),
    };
    const g = await form.send(() =>
      run(api.POST("/api/cases/{id}/groups", { params: { path: { id: caseId } }, body })),
    );
    if (!g) return;
    onAdded(g);
    setName("");
    setAliases("");
    setCountries("");
    setDescription("");
    form.setDone(t("groups.added", { name: g.name }));
  };

  return (
    <section className="record-block" aria-labelledby="case-groups-title">
      <h3 id="case-groups-title">{t("groups.title")}</h3>
      {groups.length === 0 ? (
        <p className="empty-note">{t("groups.none")}</p>
      ) : (
        <ul className="record-list" data-testid="groups-list">
          {groups.map((g) => (
            <li key={g.id} data-testid="group-item">
              <bdi className="strong">{g.name}</bdi>
              {g.aliases.length > 0 && (
                <span className="block small">
                  <span className="muted">{t("groups.aliases")}: </span>
                  <bdi>{g.aliases.join(t("common.listSeparator"))}</bdi>
                </span>
              )}
              {g.countries.length > 0 && (
                <span className="block small">
                  <span className="muted">{t("groups.countries")}: </span>
                  <span dir="ltr">{g.countries.join(" ")}</span>
                </span>
              )}
              {g.description && (
                <span className="block small pre-wrap" dir="auto">
                  {g.description}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <AddForm summary={t("groups.addTitle")} testId="group-add">
        <ProblemAlert problem={form.problem} />
        <StatusMessage message={form.done} />
        <form onSubmit={(e) => void submit(e)} noValidate className="stack compact-form">
          <TextField
            label={t("groups.name")}
            value={name}
            onChange={setName}
            dir="auto"
            autoComplete="off"
            error={form.err("name")}
            testId="group-name"
          />
          <TextField
            label={t("groups.aliasesOptional")}
            hint={t("groups.aliasesHint")}
            value={aliases}
            onChange={setAliases}
            dir="auto"
            autoComplete="off"
            error={form.err("aliases")}
            testId="group-aliases"
          />
          <TextField
            label={t("groups.countriesOptional")}
            hint={t("groups.countriesHint")}
            value={countries}
            onChange={(v) => setCountries(v.toUpperCase())}
            dir="ltr"
            autoComplete="off"
            spellCheck={false}
            error={form.err("countries")}
            testId="group-countries"
          />
          <TextField
            label={t("groups.descriptionOptional")}
            value={description}
            onChange={setDescription}
            dir="auto"
            error={form.err("description")}
            testId="group-description"
          />
          <div>
            <button
              type="submit"
              className="button button-primary"
              disabled={form.busy}
              data-testid="group-submit"
            >
              {form.busy ? t("common.saving") : t("groups.submit")}
            </button>
          </div>
        </form>
      </AddForm>
    </section>
  );
}

// ---- Vehicles --------------------------------------------------------------------------------

type VehicleUse = NonNullable<VehicleBody["use"]>;

function Vehicles({
  caseId,
  vehicles,
  onAdded,
}: {
  caseId: string;
  vehicles: VehicleView[];
  onAdded: (v: VehicleView) => void;
}) {
  const { t } = useTranslation();
  const empty = { plate: "", plateCountry: "", make: "", model: "", colour: "", description: "" };
  const [d, setD] = useState(empty);
  const [use, setUse] = useState<VehicleUse>("abduction");
  const form = useSmallForm(["plate", "plateCountry", "make", "model", "colour", "use", "description"]);
  const set = (key: keyof typeof empty) => (value: string) => setD((prev) => ({ ...prev, [key]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body: VehicleBody = {
      plate: opt(d.plate),
      plateCountry: opt(d.plateCountry)?.toUpperCase(),
      make: opt(d.make),
      model: opt(d.model),
      colour: opt(d.colour),
      use,
      description: opt(d.description),
    };
    const v = await form.send(() =>
      run(api.POST("/api/cases/{id}/vehicles", { params: { path: { id: caseId } }, body })),
    );
    if (!v) return;
    onAdded(v);
    setD(empty);
    form.setDone(t("vehicles.added", { vehicle: v.plate ?? v.make ?? "" }));
  };

  return (
    <section className="record-block" aria-labelledby="case-vehicles-title">
      <h3 id="case-vehicles-title">{t("vehicles.title")}</h3>
      {vehicles.length === 0 ? (
        <p className="empty-note">{t("vehicles.none")}</p>
      ) : (
        <ul className="record-list" data-testid="vehicles-list">
          {vehicles.map((v) => (
            <li key={v.id} data-testid="vehicle-item">
              {v.plate ? (
                <span className="plate" dir="ltr">
                  {v.plate}
                  {v.plateCountry && <span className="plate-country"> {v.plateCountry}</span>}
                </span>
              ) : (
                <Missing>{t("vehicles.noPlate")}</Missing>
              )}{" "}
              <span className="badge badge-off">{t(`vehicleUse.${v.use}`)}</span>
              {(v.make || v.model || v.colour) && (
                <span className="block small" dir="auto">
                  {[v.make, v.model, v.colour].filter(Boolean).join(" · ")}
                </span>
              )}
              {v.description && (
                <span className="block small pre-wrap" dir="auto">
                  {v.description}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <AddForm summary={t("vehicles.addTitle")} testId="vehicle-add">
        <ProblemAlert problem={form.problem} />
        <StatusMessage message={form.done} />
        <form onSubmit={(e) => void submit(e)} noValidate className="stack compact-form">
          <div className="field-pair">
            <TextField
              label={t("vehicles.plate")}
              value={d.plate}
              onChange={set("plate")}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              error={form.err("plate")}
              testId="vehicle-plate"
            />
            <TextField
              label={t("vehicles.plateCountry")}
              value={d.plateCountry}
              onChange={(v) => set("plateCountry")(v.toUpperCase())}
              maxLength={3}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              error={form.err("plateCountry")}
              testId="vehicle-plate-country"
              fieldClassName="field-narrow"
            />
          </div>
          <div className="field-pair field-pair-even">
            <TextField
              label={t("vehicles.make")}
              value={d.make}
              onChange={set("make")}
              dir="auto"
              error={form.err("make")}
              testId="vehicle-make"
            />
            <TextField
              label={t("vehicles.model")}
              value={d.model}
              onChange={set("model")}
              dir="auto"
              error={form.err("model")}
              testId="vehicle-model"
            />
          </div>
          <div className="field-pair field-pair-even">
            <TextField
              label={t("vehicles.colour")}
              value={d.colour}
              onChange={set("colour")}
              dir="auto"
              error={form.err("colour")}
              testId="vehicle-colour"
            />
            <SelectField
              label={t("vehicles.use")}
              value={use}
              onChange={(v) => setUse(VEHICLE_USES.find((x) => x === v) ?? "other")}
              options={VEHICLE_USES.map((x) => ({ value: x, label: t(`vehicleUse.${x}`) }))}
              error={form.err("use")}
              testId="vehicle-use"
            />
          </div>
          <TextField
            label={t("vehicles.descriptionOptional")}
            value={d.description}
            onChange={set("description")}
            dir="auto"
            error={form.err("description")}
            testId="vehicle-description"
          />
          <div>
            <button
              type="submit"
              className="button button-primary"
              disabled={form.busy}
              data-testid="vehicle-submit"
            >
              {form.busy ? t("common.saving") : t("vehicles.submit")}
            </button>
          </div>
        </form>
      </AddForm>
    </section>
  );
}

// ---- Selectors -------------------------------------------------------------------------------

type SelectorKind = SelectorBody["kind"];
type CryptoAsset = Extract<SelectorBody, { kind: "crypto_wallet" }>["asset"];

function Selectors({
  caseId,
  selectors,
  persons,
  onAdded,
}: {
  caseId: string;
  selectors: SelectorView[];
  persons: PersonView[];
  onAdded: (s: SelectorView) => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<SelectorKind>("phone");
  const [value, setValue] = useState("");
  const [region, setRegion] = useState("");
  const [asset, setAsset] = useState<CryptoAsset>("BTC");
  const [personId, setPersonId] = useState("");
  const [note, setNote] = useState("");
  const form = useSmallForm(["kind", "value", "region", "asset", "personId", "note"]);
  const nameOf = new Map(persons.map((p) => [p.id, p.displayName]));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const common = { value: value.trim(), personId: personId || undefined, note: opt(note) };
    const body: SelectorBody =
      kind === "phone"
        ? { kind, ...common, region: opt(region)?.toUpperCase() }
        : kind === "iban"
          ? { kind, ...common }
          : { kind, asset, ...common };
    const s = await form.send(() =>
      run(api.POST("/api/cases/{id}/selectors", { params: { path: { id: caseId } }, body })),
    );
    if (!s) return;
    onAdded(s);
    setValue("");
    setNote("");
    form.setDone(t("selectors.added", { value: s.value }));
  };

  return (
    <section className="record-block" aria-labelledby="case-selectors-title">
      <h3 id="case-selectors-title">{t("selectors.title")}</h3>
      {selectors.length === 0 ? (
        <p className="empty-note">{t("selectors.none")}</p>
      ) : (
        <ul className="record-list" data-testid="selectors-list">
          {selectors.map((s) => (
            <li key={s.id} data-testid="selector-item" data-kind={s.kind}>
              <span className="muted small">
                {t(`selectorKind.${s.kind}`)}
                {s.asset &&
                  ` · ${s.asset === "other" ? t("selectors.otherAsset") : s.asset.replace("_", " ")}`}
              </span>
              <code className="block selector-value" dir="ltr">
                {s.kind === "iban" ? spacedIban(s.value) : s.value}
              </code>
              {s.personId && (
                <span className="block small">
                  <span className="muted">{t("selectors.person")}: </span>
                  <bdi>{nameOf.get(s.personId) ?? t("charges.unknownPerson")}</bdi>
                </span>
              )}
              {s.note && (
                <span className="block small pre-wrap" dir="auto">
                  {s.note}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <AddForm summary={t("selectors.addTitle")} testId="selector-add">
        <ProblemAlert problem={form.problem} />
        <StatusMessage message={form.done} />
        <form onSubmit={(e) => void submit(e)} noValidate className="stack compact-form">
          <SelectField
            label={t("selectors.kind")}
            value={kind}
            onChange={(v) => setKind(SELECTOR_KINDS.find((x) => x === v) ?? "phone")}
            options={SELECTOR_KINDS.map((x) => ({ value: x, label: t(`selectorKind.${x}`) }))}
            error={form.err("kind")}
            testId="selector-kind"
          />
          {kind === "phone" && (
            <TextField
              label={t("persons.phoneRegion")}
              hint={t("persons.phoneRegionHint")}
              value={region}
              onChange={(v) => setRegion(v.toUpperCase())}
              maxLength={2}
              dir="ltr"
              autoComplete="off"
              spellCheck={false}
              error={form.err("region")}
              testId="selector-region"
            />
          )}
          {kind === "crypto_wallet" && (
            <SelectField
              label={t("selectors.asset")}
              value={asset}
              onChange={(v) => setAsset(CRYPTO_ASSETS.find((x) => x === v) ?? "other")}
              options={CRYPTO_ASSETS.map((x) => ({
                value: x,
                label: x === "other" ? t("selectors.otherAsset") : x.replace("_", " "),
              }))}
              error={form.err("asset")}
              testId="selector-asset"
            />
          )}
          <TextField
            label={t(`selectors.value.${kind}`)}
            value={value}
            onChange={setValue}
            dir="ltr"
            autoComplete="off"
            spellCheck={false}
            error={form.err("value")}
            testId="selector-value"
          />
          <SelectField
            label={t("selectors.personOptional")}
            value={personId}
            onChange={setPersonId}
            options={[
              { value: "", label: t("selectors.noPerson") },
              ...persons.map((p) => ({
                value: p.id,
                label: `${p.displayName} (${t(`personRole.${p.role}`)})`,
              })),
            ]}
            error={form.err("personId")}
            testId="selector-person"
          />
          <TextField
            label={t("selectors.noteOptional")}
            value={note}
            onChange={setNote}
            dir="auto"
            error={form.err("note")}
            testId="selector-note"
          />
          <div>
            <button
              type="submit"
              className="button button-primary"
              disabled={form.busy}
              data-testid="selector-submit"
            >
              {form.busy ? t("common.saving") : t("selectors.submit")}
            </button>
          </div>
        </form>
      </AddForm>
    </section>
  );
}
