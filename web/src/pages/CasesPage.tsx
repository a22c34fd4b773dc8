/** My cases: the cases whose team I am on (need-to-know), filtered by status. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, type CaseStatus, type CaseView, run } from "../api.ts";
import { CaseStatusBadge, ClassificationLine, TlpBadge } from "../components/CaseBadges.tsx";
import { ProblemAlert, SelectField } from "../components/Form.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import { ALL_CASE_STATUSES } from "../constants.ts";
import { useFormat } from "../format.ts";
import { useSignedIn } from "../session.tsx";

export function CasesPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [draft, setDraft] = useState("");
  const [status, setStatus] = useState("");
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const load = useCallback(async (s: string) => {
    const query: { status?: CaseStatus } = {};
    if (s) query.status = s as CaseStatus;
    const r = await run(api.GET("/api/cases", { params: { query } }));
    if (r.ok) {
      setCases(r.data.cases);
      setProblem(null);
    } else {
      setProblem(r.problem);
    }
  }, []);

  useEffect(() => {
    void load(status);
  }, [load, status]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setStatus(draft);
  };

  return (
    <>
      <div className="page-head">
        <PageTitle>{t("cases.title")}</PageTitle>
        {session.can("cases.create") && (
          <Link to="/cases/new" className="button button-primary" data-testid="case-new">
            {t("cases.new")}
          </Link>
        )}
      </div>
      <p className="lead">{t("cases.intro")}</p>
      <section aria-labelledby="cases-list-title" className="section">
        <h2 id="cases-list-title" className="visually-hidden">
          {t("cases.listTitle")}
        </h2>
        <form className="filters" onSubmit={apply} aria-label={t("cases.filtersLabel")}>
          <SelectField
            label={t("cases.filterStatus")}
            value={draft}
            onChange={setDraft}
            options={[
              { value: "", label: t("cases.allStatuses") },
              ...ALL_CASE_STATUSES.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
            ]}
            testId="cases-filter-status"
          />
          <div className="filter-actions">
            <button type="submit" className="button button-primary" data-testid="cases-filter-submit">
              {t("common.applyFilters")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setDraft("");
                setStatus("");
              }}
            >
              {t("common.clearFilters")}
            </button>
          </div>
        </form>
        <ProblemAlert problem={problem} />
        {cases === null ? (
          !problem && <p className="muted">{t("common.loading")}</p>
        ) : (
          <CasesTable cases={cases} />
        )}
      </section>
    </>
  );
}

function CasesTable({ cases }: { cases: CaseView[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <p className="muted small" aria-live="polite">
        {t("cases.count", { n: cases.length })}
      </p>
      <table className="data-table" data-testid="cases-table">
        <caption className="visually-hidden">{t("cases.listTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("case.reference")}</th>
            <th scope="col">{t("case.title")}</th>
            <th scope="col">{t("case.status")}</th>
            <th scope="col">{t("case.classification")}</th>
            <th scope="col">{t("case.reportedAt")}</th>
            <th scope="col">{t("case.myRole")}</th>
          </tr>
        </thead>
        <tbody>
          {cases.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                {t("cases.none")}
              </td>
            </tr>
          )}
          {cases.map((c) => (
            <tr key={c.id} data-testid={`case-row-${c.reference}`}>
              <td className="nowrap">
                <Link to={`/cases/${c.id}`} dir="ltr">
                  {c.reference}
                </Link>
              </td>
              <td>
                <span dir="auto">{c.title}</span>
                <span className="block">
                  <TlpBadge tlp={c.tlp} />
                </span>
              </td>
              <td>
                <CaseStatusBadge status={c.status} />
                {c.outcome && <span className="muted small block">{t(`outcome.${c.outcome}`)}</span>}
              </td>
              <td>
                <ClassificationLine classification={c.classification} />
              </td>
              <td>{format.dateTime(c.reportedAt)}</td>
              <td>{t(`caseRole.${c.myRole}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
