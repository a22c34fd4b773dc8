/**
 * The node's integrity, on every page of those who hold integrity.check (administrators and
 * auditors): loud when a hash chain or hash no longer verifies (what broke: the audit chain's
 * first broken entry, each case's crisis log, each attachment), quiet while the node is still
 * verifying at start, absent when all is intact. Reads GET /api/integrity, again every minute.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { paths } from "../../../src/client/index.ts";
import { api, run } from "../api.ts";
import { useFormat } from "../format.ts";
import { useSignedIn } from "../session.tsx";

type Report = paths["/api/integrity"]["get"]["responses"][200]["content"]["application/json"];

const REFRESH_MS = 60_000;
/** While a pass runs, more often, so that its end shows soon. */
const RUNNING_MS = 5_000;

export function IntegrityBanner() {
  const session = useSignedIn();
  if (!session.can("integrity.check")) return null;
  return <Banner />;
}

function Banner() {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [report, setReport] = useState<Report | null>(null);
  const [asked, setAsked] = useState(false);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/integrity"));
    if (r.ok) setReport(r.data);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    const timer = setTimeout(() => void load(), report?.running ? RUNNING_MS : REFRESH_MS);
    return () => clearTimeout(timer);
  }, [load, report]);

  const verifyNow = async () => {
    setAsked(true);
    const r = await run(api.POST("/api/integrity/verify"));
    if (r.ok) setReport(r.data);
  };

  if (!report) return null;
  const progress = report.running
    ? t("integrity.progress", {
        checked: fmt.number(report.running.checked),
        total: fmt.number(report.running.total),
      })
    : null;

  if (report.state === "broken") {
    return (
      <section className="alert alert-alarm integrity-banner" role="alert" data-testid="integrity-banner">
        <h2>{t("integrity.brokenTitle")}</h2>
        <p>{t("integrity.brokenLead")}</p>
        <ul>
          {report.audit.ok === false && report.audit.firstBroken && (
            <li data-testid="integrity-audit">
              {t("integrity.auditBroken", { seq: report.audit.firstBroken.seq })}{" "}
              <span className="muted">({report.audit.firstBroken.reason})</span>
            </li>
          )}
          {report.crisisLogs.broken.map((b) => (
            <li key={b.caseId} data-testid="integrity-crisis-log">
              {t("integrity.crisisLogBroken", { reference: b.case, seq: b.seq })}{" "}
              <span className="muted">({b.reason})</span>
            </li>
          ))}
          {report.attachments.broken.map((b) => (
            <li key={b.attachment} data-testid="integrity-attachment">
              {t("integrity.attachmentBroken", { reference: b.case, attachment: b.attachment })}{" "}
              <span className="muted">({b.reason})</span>
            </li>
          ))}
        </ul>
        <p>
          {t("integrity.checkedAt", { when: fmt.dateTime(report.checkedAt) })} {progress}{" "}
          <button
            type="button"
            className="button button-secondary button-small"
            disabled={asked && report.running !== null}
            onClick={() => void verifyNow()}
          >
            {t("integrity.verifyNow")}
          </button>
        </p>
      </section>
    );
  }
  if (report.error) {
    return (
      <p className="alert alert-error" role="status" data-testid="integrity-banner">
        {t("integrity.error")}
      </p>
    );
  }
  if (report.state === "verifying") {
    return (
      <p className="alert alert-info" role="status" data-testid="integrity-banner">
        {t("integrity.verifying")} {progress}
      </p>
    );
  }
  return null;
}
