/**
 * Security notices: changes someone else made to an account (a reset of its password or second
 * factor, a role granted, a token issued for it), with who asked, who approved and when; a
 * break-glass one says so. Mine are shown until I acknowledge them; the lead of a case sees
 * those about the team's members on the case.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { SecurityNoticeView } from "../../../../src/domain/schemas.ts";
import { type ApiProblem, api, run } from "../../api.ts";
import { ProblemAlert } from "../../components/form/index.ts";
import { useFormat } from "../../format.ts";

export function NoticeText({ notice, showUser }: { notice: SecurityNoticeView; showUser?: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  const what = t(`approvals.kind.${notice.kind}`);
  return (
    <>
      {notice.breakGlass && <span className="badge badge-alarm">{t("approvals.breakGlass")}</span>}{" "}
      {t(showUser ? "approvals.noticeAbout" : "approvals.noticeMine", {
        what,
        username: notice.username,
        requestedBy: notice.requestedByLabel,
        at: format.dateTime(notice.at),
      })}{" "}
      {notice.approvedByLabel
        ? t("approvals.noticeApprovedBy", { approvedBy: notice.approvedByLabel })
        : notice.breakGlass
          ? t("approvals.noticeBreakGlass", { reason: notice.reason ?? "" })
          : null}
    </>
  );
}

/** My notices, until acknowledged (home and account pages). */
export function MySecurityNotices() {
  const { t } = useTranslation();
  const [notices, setNotices] = useState<SecurityNoticeView[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const load = useCallback(async () => {
    const r = await run(api.GET("/api/me/security-notices"));
    if (r.ok) setNotices(r.data.notices);
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (notices.length === 0 && !problem) return null;
  return (
    <section
      className="panel section alert alert-warning"
      aria-labelledby="my-notices-title"
      data-testid="my-notices"
    >
      <h2 id="my-notices-title">{t("approvals.myNoticesTitle")}</h2>
      <p>{t("approvals.myNoticesIntro")}</p>
      <ProblemAlert problem={problem} />
      <ul className="action-list">
        {notices.map((n) => (
          <li key={n.id}>
            <div>
              <NoticeText notice={n} />
            </div>
            <button
              type="button"
              className="button button-secondary"
              data-testid="notice-acknowledge"
              onClick={() =>
                void (async () => {
                  const r = await run(
                    api.POST("/api/me/security-notices/{id}/acknowledge", { params: { path: { id: n.id } } }),
                  );
                  if (r.ok) await load();
                  else setProblem(r.problem);
                })()
              }
            >
              {t("approvals.acknowledge")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** On a case, for its lead: notices about the team's members. */
export function TeamSecurityNotices({ notices }: { notices: SecurityNoticeView[] | undefined }) {
  const { t } = useTranslation();
  if (!notices || notices.length === 0) return null;
  return (
    <section
      className="panel section alert alert-warning"
      aria-labelledby="case-notices-title"
      data-testid="case-notices"
    >
      <h2 id="case-notices-title">{t("approvals.caseNoticesTitle")}</h2>
      <p className="muted">{t("approvals.caseNoticesIntro")}</p>
      <ul>
        {notices.map((n) => (
          <li key={n.id}>
            <NoticeText notice={n} showUser />
          </li>
        ))}
      </ul>
    </section>
  );
}
