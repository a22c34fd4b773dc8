/**
 * The national annual return (statistics focal point): the returns of the node,
 * drafts and submissions with the Secretariat's acknowledgement, and opening a
 * year, which computes its tables from the node's cases.
 */
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { type ApiProblem, api, forFields, type ReturnView, run } from "../../../api.ts";
import { localProblem, ProblemAlert, wholeNumber, YearField } from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { useFormat } from "../../../format.ts";
import { ReturnStatusBadge } from "../common.tsx";

export function ReturnsPage() {
  const { t } = useTranslation();
  const [returns, setReturns] = useState<ReturnView[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/statistics/returns"));
      if (cancelled) return;
      if (r.ok) setReturns(r.data.returns);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  return (
    <>
      <PageTitle>{t("returns.title")}</PageTitle>
      <p className="lead">{t("returns.intro")}</p>
      <OpenYearForm returns={returns ?? []} />
      <section className="section" aria-labelledby="returns-list-title">
        <h2 id="returns-list-title">{t("returns.listTitle")}</h2>
        <ProblemAlert problem={problem} />
        {returns === null ? (
          !problem && <p className="muted">{t("common.loading")}</p>
        ) : (
          <ReturnsTable returns={returns} />
        )}
      </section>
    </>
  );
}

function OpenYearForm({ returns }: { returns: ReturnView[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [year, setYear] = useState(String(new Date().getFullYear()));
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const y = wholeNumber(year);
    if (y === null) return setProblem(localProblem({ year: "must not be empty" }));
    if (Number.isNaN(y)) return setProblem(localProblem({ year: "must be a whole number" }));
    setBusy(true);
    const r = await run(api.POST("/api/statistics/returns", { body: { year: y } }));
    setBusy(false);
    if (r.ok) {
      void navigate(`/statistics/returns/${encodeURIComponent(r.data.id)}`);
      return;
    }
    setProblem(forFields(r.problem, ["year"]));
  };

  const y = wholeNumber(year);
  const openDraft = problem?.fields.year && returns.find((r) => r.year === y && r.status === "draft");

  return (
    <section className="section panel" aria-labelledby="returns-open-title">
      <h2 id="returns-open-title">{t("returns.openTitle")}</h2>
      <p className="muted">{t("returns.openIntro")}</p>
      <form className="filters stats-range" onSubmit={(e) => void submit(e)} noValidate>
        <YearField
          label={t("returns.year")}
          value={year}
          onChange={setYear}
          error={
            problem?.code === "conflict" && problem.fields.year
              ? t("returns.draftOpen", { year: y ?? year })
              : problem?.fields.year
          }
          testId="return-open-year"
        />
        <div className="filter-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="return-open-submit"
          >
            {busy ? t("returns.computing") : t("returns.open")}
          </button>
        </div>
      </form>
      {openDraft && (
        <p>
          <Link
            to={`/statistics/returns/${encodeURIComponent(openDraft.id)}`}
            data-testid="return-open-draft"
          >
            {t("returns.goToDraft", { year: openDraft.year })}
          </Link>
        </p>
      )}
      <ProblemAlert problem={problem && Object.keys(problem.fields).length ? null : problem} />
    </section>
  );
}

function ReturnsTable({ returns }: { returns: ReturnView[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  if (returns.length === 0) return <p className="empty-note">{t("returns.none")}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table" data-testid="returns-table">
        <thead>
          <tr>
            <th scope="col">{t("returns.year")}</th>
            <th scope="col" className="numeric">
              {t("returns.revision")}
            </th>
            <th scope="col">{t("returns.statusLabel")}</th>
            <th scope="col">{t("returns.submittedAt")}</th>
            <th scope="col">{t("returns.acknowledgedAt")}</th>
            <th scope="col">{t("returns.acknowledgement")}</th>
          </tr>
        </thead>
        <tbody>
          {returns.map((r) => (
            <tr key={r.id} data-testid="return-row" data-year={r.year} data-status={r.status}>
              <th scope="row">
                <Link to={`/statistics/returns/${encodeURIComponent(r.id)}`}>
                  {t("returns.returnOf", { year: r.year })}
                </Link>
              </th>
              <td className="numeric">{format.number(r.revision)}</td>
              <td>
                <ReturnStatusBadge status={r.status} />
              </td>
              <td>{r.submittedAt ? format.dateTime(r.submittedAt) : <span className="muted">—</span>}</td>
              <td>
                {r.acknowledgedAt ? format.dateTime(r.acknowledgedAt) : <span className="muted">—</span>}
              </td>
              <td>
                {r.acknowledgement ? (
                  <AcknowledgementText text={r.acknowledgement} />
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** "12 observations accepted" in the user's language; a rejection's reason as sent. */
export function AcknowledgementText({ text }: { text: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const m = /^(\d+) observations accepted$/.exec(text);
  if (m) return <>{t("returns.accepted", { n: format.number(Number(m[1])) })}</>;
  return <span dir="auto">{text}</span>;
}
