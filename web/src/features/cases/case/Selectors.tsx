/**
 * The selectors of a case — phones, bank accounts, crypto wallets — each with the
 * person it belongs to, and the compact form that adds one (the node normalises and
 * checks them).
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type PersonView, run, type SelectorBody, type SelectorView } from "../../../api.ts";
import { opt, ProblemAlert, SelectField, StatusMessage, TextField } from "../../../components/form/index.ts";
import { CRYPTO_ASSETS, SELECTOR_KINDS } from "../../../constants.ts";
import { AddForm, spacedIban, useSmallForm } from "./common.tsx";

type SelectorKind = SelectorBody["kind"];
type CryptoAsset = Extract<SelectorBody, { kind: "crypto_wallet" }>["asset"];

export function Selectors({
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
