/**
 * One annual return: the tables computed from the node's cases, the validation
 * against the previous year with a note for each flagged change, the
 * questionnaire on legislation and domestic measures, and the submission to the
 * Secretariat (with small-cell suppression), whose acknowledgement the page
 * awaits by reading the return again every two seconds.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { type ApiProblem, api, type ReturnView, run } from "../../../api.ts";
import { ProblemAlert } from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { useFormat } from "../../../format.ts";
import { POLL_MS, ReturnStatusBadge } from "../common.tsx";
import { IssuesSection } from "./IssuesSection.tsx";
import { QuestionnaireSection } from "./QuestionnaireSection.tsx";
import { AcknowledgementText } from "./ReturnsPage.tsx";
import { SubmitSection } from "./SubmitSection.tsx";
import { TablesSection } from "./TablesSection.tsx";

export function ReturnPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const [ret, setRet] = useState<ReturnView | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/statistics/returns/{id}", { params: { path: { id } } }));
    if (r.ok) {
      setRet(r.data);
      setProblem(null);
    } else setProblem(r.problem);
    return r.ok ? r.data : null;
  }, [id]);

  useEffect(() => {
    void load();
  }, [load]);

  // Submitted: the Secretariat's acknowledgement is awaited (the return is read again every two seconds).
  const waiting = ret?.status === "submitted";
  useEffect(() => {
    if (!waiting) return;
    let cancelled = false;
    const timer = setInterval(() => {
      void (async () => {
        const r = await run(api.GET("/api/statistics/returns/{id}", { params: { path: { id } } }));
        if (!cancelled && r.ok) setRet(r.data);
      })();
    }, POLL_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [waiting, id]);

  if (!ret) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/statistics/returns">{t("returns.backToList")}</Link>
        </p>
        <PageTitle>{t("returns.title")}</PageTitle>
        <ProblemAlert problem={problem} />
        {!problem && <p className="muted">{t("common.loading")}</p>}
      </>
    );
  }

  const draft = ret.status === "draft";
  return (
    <>
      <p className="breadcrumb">
        <Link to="/statistics/returns">{t("returns.backToList")}</Link>
      </p>
      <PageTitle>{t("returns.returnOf", { year: ret.year })}</PageTitle>
      <ReturnHeader ret={ret} />
      <ProblemAlert problem={problem} />
      <nav className="case-sections" aria-label={t("returns.onThisPage")}>
        <ul>
          <li>
            <a href="#return-tables">{t("returns.tablesTitle")}</a>
          </li>
          <li>
            <a href="#return-issues">{t("returns.issuesTitle")}</a>
          </li>
          <li>
            <a href="#return-questionnaire">{t("returns.q.title")}</a>
          </li>
          <li>
            <a href="#return-submit">{draft ? t("returns.submitTitle") : t("returns.publishedTitle")}</a>
          </li>
        </ul>
      </nav>
      <TablesSection ret={ret} onChange={setRet} />
      <IssuesSection ret={ret} onChange={setRet} />
      <QuestionnaireSection ret={ret} onChange={setRet} />
      <SubmitSection ret={ret} onChange={setRet} reload={load} />
    </>
  );
}

function ReturnHeader({ ret }: { ret: ReturnView }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="panel section" data-testid="return-header">
      <dl className="details">
        <dt>{t("returns.statusLabel")}</dt>
        <dd>
          <ReturnStatusBadge status={ret.status} />
          {ret.status === "submitted" && (
            <span className="hits-waiting small" data-testid="return-awaiting">
              <span className="live-dot" aria-hidden="true" /> {t("returns.awaitingAck")}
            </span>
          )}
        </dd>
        <dt>{t("returns.revision")}</dt>
        <dd>{format.number(ret.revision)}</dd>
        <dt>{t("returns.openedAt")}</dt>
        <dd>{format.dateTime(ret.openedAt)}</dd>
        <dt>{t("returns.computedAt")}</dt>
        <dd>{format.dateTime(ret.computedAt)}</dd>
        {ret.submittedAt && (
          <>
            <dt>{t("returns.submittedAt")}</dt>
            <dd>{format.dateTime(ret.submittedAt)}</dd>
          </>
        )}
        {ret.acknowledgedAt && (
          <>
            <dt>{ret.status === "rejected" ? t("returns.rejectedAt") : t("returns.acknowledgedAt")}</dt>
            <dd>{format.dateTime(ret.acknowledgedAt)}</dd>
          </>
        )}
        {ret.acknowledgement && (
          <>
            <dt>{t("returns.acknowledgement")}</dt>
            <dd data-testid="return-acknowledgement">
              <AcknowledgementText text={ret.acknowledgement} />
            </dd>
          </>
        )}
        {ret.minCell !== null && ret.minCell > 1 && (
          <>
            <dt>{t("returns.minCell")}</dt>
            <dd>{format.number(ret.minCell)}</dd>
          </>
        )}
      </dl>
      <p aria-live="polite" className="visually-hidden">
        {t(`returns.status.${ret.status}`)}
      </p>
    </div>
  );
}
