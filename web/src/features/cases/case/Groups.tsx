/**
 * The organised groups of a case: each with its aliases, countries and description,
 * and the compact form that adds one.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type GroupBody, type GroupView, run } from "../../../api.ts";
import {
  codeList,
  opt,
  ProblemAlert,
  StatusMessage,
  TextField,
  textList,
} from "../../../components/form/index.ts";
import { AddForm, useSmallForm } from "./common.tsx";

export function Groups({
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
