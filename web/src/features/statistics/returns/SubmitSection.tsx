/**
 * Submitting an annual return to the Secretariat: the smallest cell published and the
 * population, what still blocks the submission, the state once submitted, and the
 * SDMX downloads.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, forFields, type ReturnView, run } from "../../../api.ts";
import { localProblem, ProblemAlert, TextField, wholeNumber } from "../../../components/form/index.ts";
import { useFormat } from "../../../format.ts";
import { blockerText, ReturnStatusBadge } from "../common.tsx";

export function SubmitSection({
  ret,
  onChange,
  reload,
}: {
  ret: ReturnView;
  onChange: (r: ReturnView) => void;
  reload: () => Promise<ReturnView | null>;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const draft = ret.status === "draft";
  const [minCell, setMinCell] = useState(String(ret.minCell ?? 1));
  const [population, setPopulation] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const blocked = ret.blockers.length > 0;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const m = wholeNumber(minCell);
    const p = wholeNumber(population);
    const bad: Record<string, string> = {};
    if (m === null) bad.minCell = "must not be empty";
    else if (Number.isNaN(m)) bad.minCell = "must be a whole number";
    else if (m < 1 || m > 100) bad.minCell = "must be between 1 and 100";
    if (Number.isNaN(p)) bad.population = "must be a whole number";
    else if (p !== null && p < 1) bad.population = "must be between 1 and 2000000000";
    if (Object.keys(bad).length) {
      setProblem(localProblem(bad));
      return;
    }
    setBusy(true);
    const body: { minCell: number; population?: number } = { minCell: m ?? 1 };
    if (p !== null) body.population = p;
    const r = await run(
      api.POST("/api/statistics/returns/{id}/submit", { params: { path: { id: ret.id } }, body }),
    );
    setBusy(false);
    if (r.ok) {
      setProblem(null);
      onChange(r.data);
      return;
    }
    // What blocks it is listed above the button once the return is read again.
    const known = forFields(r.problem, ["minCell", "population"]);
    setProblem({ ...known, otherFields: known.otherFields.filter((f) => f.path !== "params.id") });
    if (r.problem.code === "invalid_state") await reload();
  };

  const csv = `/api/statistics/returns/${encodeURIComponent(ret.id)}/sdmx?format=csv`;
  const json = `/api/statistics/returns/${encodeURIComponent(ret.id)}/sdmx?format=json`;

  return (
    <section className="section" id="return-submit" aria-labelledby="return-submit-title">
      <h2 id="return-submit-title">{draft ? t("returns.submitTitle") : t("returns.publishedTitle")}</h2>
      {draft ? (
        <form
          className="panel stack"
          onSubmit={(e) => void submit(e)}
          noValidate
          data-testid="return-submit-form"
        >
          <p className="muted">{t("returns.submitIntro")}</p>
          <div className="form-grid">
            <TextField
              label={t("returns.minCell")}
              hint={t("returns.minCellHint")}
              value={minCell}
              onChange={setMinCell}
              inputMode="numeric"
              maxLength={3}
              autoComplete="off"
              error={problem?.fields.minCell}
              testId="return-min-cell"
              fieldClassName="field-narrow"
            />
            <TextField
              label={t("returns.population")}
              hint={t("returns.populationHint")}
              value={population}
              onChange={setPopulation}
              inputMode="numeric"
              maxLength={10}
              autoComplete="off"
              error={problem?.fields.population}
              testId="return-population"
              fieldClassName="field-narrow"
            />
          </div>
          <div aria-live="polite" data-testid="return-blockers-region">
            {blocked ? (
              <div className="alert alert-info" data-testid="return-blockers">
                <p>
                  <strong>{t("returns.blockersTitle")}</strong>
                </p>
                <ul>
                  {ret.blockers.map((b) => (
                    <li key={b} data-testid="return-blocker">
                      {blockerText(t, b, ret.tables)}
                    </li>
                  ))}
                </ul>
              </div>
            ) : (
              <p className="alert alert-success" data-testid="return-ready">
                {t("returns.ready")}
              </p>
            )}
          </div>
          <ProblemAlert problem={problem} />
          <div className="form-actions form-actions-center">
            <button
              type="submit"
              className="button button-primary"
              disabled={busy || blocked}
              aria-describedby={blocked ? "return-blockers-note" : undefined}
              data-testid="return-submit"
            >
              {busy ? t("returns.submitting") : t("returns.submit")}
            </button>
            {blocked && (
              <span id="return-blockers-note" className="small muted">
                {t("returns.blockedNote")}
              </span>
            )}
          </div>
        </form>
      ) : (
        <div className="panel stack">
          <p data-testid="return-published-status">
            <ReturnStatusBadge status={ret.status} />{" "}
            {ret.status === "submitted"
              ? t("returns.submittedNote")
              : ret.status === "acknowledged"
                ? t("returns.acknowledgedNote", { at: format.dateTime(ret.acknowledgedAt) })
                : t("returns.rejectedNote")}
          </p>
          {ret.status !== "submitted" && ret.status !== "draft" && (
            <p className="small">
              <Link to="/statistics/returns">{t("returns.reviseHint", { year: ret.year })}</Link>
            </p>
          )}
        </div>
      )}
      <p className="form-actions return-downloads" data-testid="return-downloads">
        <a className="button button-secondary" href={csv} download data-testid="return-sdmx-csv">
          {t("returns.downloadCsv")}
        </a>
        <a className="button button-secondary" href={json} download data-testid="return-sdmx-json">
          {t("returns.downloadJson")}
        </a>
      </p>
      <p className="small muted">{draft ? t("returns.downloadDraftHint") : t("returns.downloadHint")}</p>
    </section>
  );
}
