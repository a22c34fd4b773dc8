/**
 * Follow-ups of partner nodes' hits on the caller's cases: a partner asked, by
 * keyed pseudonyms and encodings, whether this node knows a person or a selector,
 * and found one of our cases. Nothing has been disclosed yet: the matched case's
 * lead or crisis team decides what, if anything, the partner learns — or refuses,
 * saying why. Pending follow-ups first, then the decided ones.
 */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, type Followup, type FollowupDecisionBody, forFields, run } from "../../api.ts";
import {
  localProblem,
  ProblemAlert,
  RadioGroup,
  StatusMessage,
  TextAreaField,
} from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { useFormat } from "../../format.ts";
import { ItemLabel, labelText, useScore } from "./hitText.tsx";

const STATUS_CLASS: Record<Followup["status"], string> = {
  pending: "badge-warn",
  approved: "badge-ok",
  refused: "badge-alarm",
};

export function FollowupsPage() {
  const { t } = useTranslation();
  const [followups, setFollowups] = useState<Followup[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<Followup | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    setLoading(true);
    const r = await run(api.GET("/api/hits/followups"));
    setLoading(false);
    if (r.ok) {
      setFollowups(r.data.followups);
      setProblem(null);
    } else setProblem(r.problem);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const decided = (f: Followup) => {
    setFollowups((prev) => (prev ?? []).map((x) => (x.id === f.id ? f : x)));
    setDone(f);
  };

  const byDate = (a: Followup, b: Followup) => b.createdAt.localeCompare(a.createdAt);
  const pending = (followups ?? []).filter((f) => f.status === "pending").sort(byDate);
  const closed = (followups ?? [])
    .filter((f) => f.status !== "pending")
    .sort((a, b) => (b.decidedAt ?? b.createdAt).localeCompare(a.decidedAt ?? a.createdAt));

  return (
    <>
      <div className="page-head">
        <PageTitle>{t("followups.title")}</PageTitle>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void load()}
          disabled={loading}
          data-testid="followups-refresh"
        >
          {loading ? t("common.loading") : t("followups.refresh")}
        </button>
      </div>
      <p className="lead">{t("followups.intro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage
        message={
          done &&
          (done.status === "approved"
            ? t("followups.approvedDone", { peer: done.peer, reference: done.caseReference })
            : t("followups.refusedDone", { peer: done.peer, reference: done.caseReference }))
        }
      />
      {followups === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <>
          <section className="section" aria-labelledby="followups-pending-title">
            <h2 id="followups-pending-title">{t("followups.pendingTitle")}</h2>
            {pending.length === 0 ? (
              <p className="empty-note" data-testid="followups-none-pending">
                {t("followups.nonePending")}
              </p>
            ) : (
              <ol className="record-cards" data-testid="followups-pending">
                {pending.map((f) => (
                  <li key={f.id}>
                    <FollowupCard followup={f} onDecided={decided} />
                  </li>
                ))}
              </ol>
            )}
          </section>
          <section className="section" aria-labelledby="followups-decided-title">
            <h2 id="followups-decided-title">{t("followups.decidedTitle")}</h2>
            {closed.length === 0 ? (
              <p className="empty-note">{t("followups.noneDecided")}</p>
            ) : (
              <ol className="record-cards" data-testid="followups-decided">
                {closed.map((f) => (
                  <li key={f.id}>
                    <FollowupCard followup={f} onDecided={decided} />
                  </li>
                ))}
              </ol>
            )}
          </section>
        </>
      )}
    </>
  );
}

function FollowupCard({ followup: f, onDecided }: { followup: Followup; onDecided: (f: Followup) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const score = useScore();
  const headingId = `followup-${f.id}`;
  return (
    <article
      className={`record-card followup followup-${f.status}`}
      aria-labelledby={headingId}
      data-testid="followup"
      data-id={f.id}
      data-status={f.status}
    >
      <div className="record-card-head">
        <h3 id={headingId} className="followup-title">
          {t("followups.cardTitle", { peer: f.peer, type: t(`hits.itemType.${f.itemType}`) })}
        </h3>
        <span className={`badge ${STATUS_CLASS[f.status]}`}>{t(`followups.status.${f.status}`)}</span>
        <bdi className="muted small">
          <time dateTime={f.createdAt}>{format.dateTime(f.createdAt)}</time>
        </bdi>
      </div>
      <dl className="details followup-details">
        <dt>{t("followups.askedBy")}</dt>
        <dd>
          <bdi className="peer-id">{f.peer}</bdi>
          {f.askerCaseReference && (
            <>
              {" "}
              <span className="muted small">
                {t("followups.theirCase")} <code dir="ltr">{f.askerCaseReference}</code>
              </span>
            </>
          )}
        </dd>
        <dt>{t("hits.purpose")}</dt>
        <dd dir="auto" className="pre-wrap" data-testid="followup-purpose">
          {f.purpose}
        </dd>
        <dt>{t("hits.legalBasis")}</dt>
        <dd dir="auto" className="pre-wrap">
          {f.legalBasis}
        </dd>
        <dt>{t("followups.ourCase")}</dt>
        <dd>
          <Link to={`/cases/${encodeURIComponent(f.caseId)}`} data-testid="followup-case">
            <span dir="ltr">{f.caseReference}</span>
          </Link>
        </dd>
        <dt>{t("followups.matched")}</dt>
        <dd>
          <span data-testid="followup-matched">
            <ItemLabel label={f.matched} className="strong" />
          </span>{" "}
          <span className="badge badge-off">{t(`hits.itemType.${f.itemType}`)}</span>
        </dd>
        <dt>{t("followups.score")}</dt>
        <dd data-testid="followup-score">{score(f.score)}</dd>
        {f.status !== "pending" && (
          <>
            <dt>{t("followups.decidedAt")}</dt>
            <dd>{format.dateTime(f.decidedAt)}</dd>
          </>
        )}
        {f.status === "approved" && (
          <>
            <dt>{t("followups.disclosedInformation")}</dt>
            <dd dir="auto" className="pre-wrap" data-testid="followup-information">
              {f.information}
            </dd>
          </>
        )}
        {f.status === "refused" && (
          <>
            <dt>{t("followups.refusalReason")}</dt>
            <dd dir="auto" className="pre-wrap" data-testid="followup-reason">
              {f.reason}
            </dd>
          </>
        )}
      </dl>
      {f.status === "pending" &&
        (f.mayDecide ? (
          <DecisionForm followup={f} onDecided={onDecided} />
        ) : (
          <p className="muted small subsection">{t("followups.notYours")}</p>
        ))}
    </article>
  );
}

function DecisionForm({ followup: f, onDecided }: { followup: Followup; onDecided: (f: Followup) => void }) {
  const { t } = useTranslation();
  const [decision, setDecision] = useState<"approved" | "refused">("approved");
  const [information, setInformation] = useState(() =>
    t("followups.informationTemplate", { reference: f.caseReference, matched: labelText(f.matched) }),
  );
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (decision === "approved" && !information.trim()) {
      setProblem(localProblem({ information: "must not be empty" }));
      return;
    }
    if (decision === "refused" && !reason.trim()) {
      setProblem(localProblem({ reason: "must not be empty" }));
      return;
    }
    const body: FollowupDecisionBody =
      decision === "approved"
        ? { decision, information: information.trim() }
        : { decision, reason: reason.trim() };
    setBusy(true);
    const r = await run(
      api.POST("/api/hits/followups/{id}/decision", { params: { path: { id: f.id } }, body }),
    );
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["decision", "information", "reason"]));
      return;
    }
    onDecided(r.data);
  };

  return (
    <form
      onSubmit={(e) => void submit(e)}
      noValidate
      className="stack compact-form subsection followup-decision"
      data-testid="followup-form"
    >
      <ProblemAlert problem={problem} />
      <RadioGroup
        legend={t("followups.decision")}
        options={[
          { value: "approved", label: t("followups.approve"), testId: "followup-approve" },
          { value: "refused", label: t("followups.refuse"), testId: "followup-refuse" },
        ]}
        value={decision}
        onChange={setDecision}
        error={problem?.fields.decision}
      />
      {decision === "approved" ? (
        <TextAreaField
          label={t("followups.information")}
          hint={t("followups.informationHint", { peer: f.peer })}
          value={information}
          onChange={setInformation}
          dir="auto"
          rows={4}
          required
          error={problem?.fields.information}
          testId="followup-information-input"
        />
      ) : (
        <TextAreaField
          label={t("followups.reason")}
          hint={t("followups.reasonHint", { peer: f.peer })}
          value={reason}
          onChange={setReason}
          dir="auto"
          rows={3}
          required
          error={problem?.fields.reason}
          testId="followup-reason-input"
        />
      )}
      <div>
        <button
          type="submit"
          className={`button ${decision === "approved" ? "button-primary" : "button-danger"}`}
          disabled={busy}
          data-testid="followup-submit"
        >
          {busy
            ? t("common.saving")
            : decision === "approved"
              ? t("followups.approveSubmit", { peer: f.peer })
              : t("followups.refuseSubmit", { peer: f.peer })}
        </button>
      </div>
    </form>
  );
}
