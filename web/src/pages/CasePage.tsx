/**
 * One case, for the members of its team: its record and class, its status and
 * lifecycle, its team and — for the lead and the crisis team — the crisis log.
 * To anyone not on the team the case does not exist ("not found").
 */
import type { TFunction } from "i18next";
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type CaseOutcome,
  type CaseRole,
  type CaseStatus,
  type CaseView,
  fieldMessage,
  forFields,
  run,
  type TeamMember,
} from "../api.ts";
import {
  CaseStatusBadge,
  ClassificationLine,
  ClassificationReasons,
  TlpBadge,
} from "../components/CaseBadges.tsx";
import { ConfirmButton } from "../components/ConfirmButton.tsx";
import { ProblemAlert, SelectField, StatusMessage, TextAreaField, TextField } from "../components/Form.tsx";
import { PageTitle } from "../components/PageTitle.tsx";
import {
  ALL_CASE_ROLES,
  ALL_OUTCOMES,
  nextStatuses,
  onCrisisTeam,
  transitionNeedsReason,
} from "../constants.ts";
import { useFormat } from "../format.ts";
import { useSignedIn } from "../session.tsx";
import { CrisisLog } from "./CrisisLog.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";

export function CasePage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  // "Opened" is said once: the history entry forgets it, so that a reload does not repeat it.
  const [opened] = useState(() => (location.state as { opened?: string } | null)?.opened);
  useEffect(() => {
    if (opened) void navigate(".", { replace: true, state: null });
  }, [opened, navigate]);
  const [kase, setKase] = useState<CaseView | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    let cancelled = false;
    setKase(null);
    setProblem(null);
    void (async () => {
      const r = await run(api.GET("/api/cases/{id}", { params: { path: { id } } }));
      if (cancelled) return;
      if (r.ok) setKase(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (problem && (problem.status === 404 || problem.code === "validation_failed")) return <NotFoundPage />;

  if (!kase) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/cases">{t("cases.backToList")}</Link>
        </p>
        <PageTitle>{t("case.pageTitle")}</PageTitle>
        <ProblemAlert problem={problem} />
        {!problem && <p className="muted">{t("common.loading")}</p>}
      </>
    );
  }

  const crisisTeam = onCrisisTeam(kase.myRole);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/cases">{t("cases.backToList")}</Link>
      </p>
      <CaseHeader kase={kase} />
      {opened === kase.reference && (
        <p className="alert alert-success" role="status">
          {t("case.opened", { reference: kase.reference })}
        </p>
      )}
      <div className="columns">
        <Overview kase={kase} />
        <StatusPanel kase={kase} onChanged={setKase} />
      </div>
      {/* The crisis log does not exist for members outside the crisis team (the API answers 404). */}
      {crisisTeam && <CrisisLog caseId={kase.id} />}
      <TeamPanel kase={kase} />
    </>
  );
}

function CaseHeader({ kase }: { kase: CaseView }) {
  const { t } = useTranslation();
  return (
    <header className="case-header">
      <p className="case-eyebrow">
        <span className="case-reference" dir="ltr" data-testid="case-reference">
          {kase.reference}
        </span>
        <span className="badges">
          <CaseStatusBadge status={kase.status} testId="case-status" />
          {kase.outcome && (
            <span className="badge badge-off" data-testid="case-outcome">
              {t(`outcome.${kase.outcome}`)}
            </span>
          )}
          <TlpBadge tlp={kase.tlp} />
        </span>
      </p>
      <PageTitle isolate>{kase.title}</PageTitle>
      <div
        className="case-classification"
        data-testid="case-classification"
        data-iccs={kase.classification.iccs ?? "none"}
      >
        <p>
          <span className="muted">{t("case.classification")}: </span>
          <ClassificationLine classification={kase.classification} />{" "}
          <span className={`badge ${kase.classification.kidnapping ? "badge-alarm" : "badge-off"}`}>
            {kase.classification.kidnapping
              ? t("classification.isKidnapping")
              : t("classification.notKidnapping")}
          </span>
        </p>
        <details className="reasons-details">
          <summary>{t("classification.reasons")}</summary>
          <ClassificationReasons reasons={kase.classification.reasons} />
        </details>
      </div>
    </header>
  );
}

const yesNo = (t: TFunction, v: unknown) =>
  v === true ? t("common.yes") : v === false ? t("common.no") : t("common.unknown");

function Overview({ kase }: { kase: CaseView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const el = kase.elements;
  const age = typeof el.victimAgeYears === "number" ? String(el.victimAgeYears) : t("common.unknown");
  const { place } = kase;
  return (
    <section className="panel" aria-labelledby="case-overview-title">
      <h2 id="case-overview-title">{t("case.overview")}</h2>
      <dl className="details">
        <dt>{t("case.occurredAt")}</dt>
        <dd>{format.dateTime(kase.occurredAt, t("common.unknown"))}</dd>
        <dt>{t("case.reportedAt")}</dt>
        <dd>{format.dateTime(kase.reportedAt)}</dd>
        <dt>{t("case.place")}</dt>
        <dd>
          <span dir="ltr">{place.country}</span>
          {place.region && (
            <>
              {t("common.listSeparator")}
              <span dir="auto">{place.region}</span>
            </>
          )}
          {place.latitude !== null && place.longitude !== null && (
            <span className="block muted small" dir="ltr">
              {place.latitude}, {place.longitude}
            </span>
          )}
        </dd>
        <dt>{t("case.myRole")}</dt>
        <dd>{t(`caseRole.${kase.myRole}`)}</dd>
        <dt>{t("case.handling")}</dt>
        <dd>
          <TlpBadge tlp={kase.tlp} /> <span dir="ltr">{kase.handling.join(" ")}</span>
        </dd>
        <dt>{t("case.updatedAt")}</dt>
        <dd>{format.dateTime(kase.updatedAt)}</dd>
      </dl>
      <h3 className="subsection">{t("case.elements")}</h3>
      <dl className="details" data-testid="case-elements">
        <dt>{t("elements.victimDetained")}</dt>
        <dd>{yesNo(t, el.victimDetained)}</dd>
        <dt>{t("elements.againstWill")}</dt>
        <dd>{yesNo(t, el.againstWill)}</dd>
        <dt>{t("elements.victimMoved")}</dt>
        <dd>{yesNo(t, el.victimMoved)}</dd>
        <dt>{t("elements.purpose")}</dt>
        <dd>{t(`purpose.${String(el.purpose)}`, { defaultValue: String(el.purpose) })}</dd>
        <dt>{t("elements.victimAgeYears")}</dt>
        <dd>{age}</dd>
        <dt>{t("elements.takenByParentOrGuardian")}</dt>
        <dd>{yesNo(t, el.takenByParentOrGuardian)}</dd>
        <dt>{t("elements.context")}</dt>
        <dd>{t(`context.${String(el.context ?? "none")}`, { defaultValue: String(el.context) })}</dd>
      </dl>
    </section>
  );
}

// ---- Status ----------------------------------------------------------------------------------

function StatusPanel({ kase, onChanged }: { kase: CaseView; onChanged: (c: CaseView) => void }) {
  const { t } = useTranslation();
  const [to, setTo] = useState<CaseStatus | "">("");
  const [outcome, setOutcome] = useState<CaseOutcome | "">("");
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = nextStatuses(kase.status);
  const needsReason = to !== "" && transitionNeedsReason(kase.status, to);
  const canChange = kase.myRole !== "member";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    if (to === "") {
      setProblem({
        code: "validation_failed",
        message: "",
        fields: { to: "must not be empty" },
        otherFields: [],
        status: 0,
      });
      return;
    }
    const body: { to: CaseStatus; outcome?: CaseOutcome; reason?: string } = { to };
    if (to === "resolved" && outcome) body.outcome = outcome;
    if (needsReason && reason.trim()) body.reason = reason.trim();
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/transition", { params: { path: { id: kase.id } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["to", "outcome", "reason"]));
      return;
    }
    onChanged(r.data);
    setTo("");
    setOutcome("");
    setReason("");
    setDone(t("case.statusChanged", { status: t(`caseStatus.${r.data.status}`) }));
  };

  return (
    <section className="panel" aria-labelledby="case-status-title">
      <h2 id="case-status-title">{t("case.statusTitle")}</h2>
      <dl className="details">
        <dt>{t("case.status")}</dt>
        <dd>
          <CaseStatusBadge status={kase.status} />
        </dd>
        {kase.outcome && (
          <>
            <dt>{t("case.outcome")}</dt>
            <dd>{t(`outcome.${kase.outcome}`)}</dd>
          </>
        )}
      </dl>
      <StatusMessage message={done} />
      {canChange ? (
        <>
          <ProblemAlert problem={problem} />
          <form onSubmit={(e) => void submit(e)} noValidate className="stack subsection">
            <SelectField
              label={t("case.transitionTo")}
              value={to}
              onChange={(v) => {
                setTo(next.find((s) => s === v) ?? "");
                setProblem(null);
              }}
              options={[
                { value: "", label: t("case.chooseStatus") },
                ...next.map((s) => ({ value: s, label: t(`caseStatus.${s}`) })),
              ]}
              error={problem?.fields.to}
              testId="case-transition-to"
            />
            {to === "resolved" && (
              <SelectField
                label={t("case.outcome")}
                hint={t("case.outcomeHint")}
                value={outcome}
                onChange={(v) => setOutcome(ALL_OUTCOMES.find((o) => o === v) ?? "")}
                options={[
                  { value: "", label: t("case.chooseOutcome") },
                  ...ALL_OUTCOMES.map((o) => ({ value: o, label: t(`outcome.${o}`) })),
                ]}
                error={problem?.fields.outcome}
                testId="case-transition-outcome"
              />
            )}
            {needsReason && (
              <TextAreaField
                label={t("case.reason")}
                hint={t("case.reasonHint")}
                value={reason}
                onChange={setReason}
                dir="auto"
                error={problem?.fields.reason}
                testId="case-transition-reason"
              />
            )}
            <div>
              <button
                type="submit"
                className="button button-primary"
                disabled={busy}
                data-testid="case-transition-submit"
              >
                {busy ? t("common.saving") : t("case.transitionSubmit")}
              </button>
            </div>
          </form>
        </>
      ) : (
        <p className="muted subsection">{t("case.statusMemberNote")}</p>
      )}
    </section>
  );
}

// ---- Team ------------------------------------------------------------------------------------

/** Team changes name the account in the path (`params.userId`): shown at the account field. */
function splitUserIdError(problem: ApiProblem | null): { problem: ApiProblem | null; userId?: string } {
  if (!problem) return { problem };
  const hit = problem.otherFields.find((f) => f.path === "params.userId");
  if (!hit) return { problem };
  const otherFields = problem.otherFields.filter((f) => f !== hit);
  return {
    problem: { ...problem, otherFields, fields: { ...problem.fields, userId: hit.message } },
    userId: hit.message,
  };
}

function TeamPanel({ kase }: { kase: CaseView }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const format = useFormat();
  const [team, setTeam] = useState<TeamMember[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const isLead = kase.myRole === "lead";
  const path = { id: kase.id };

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/cases/{id}/team", { params: { path: { id: kase.id } } }));
    if (r.ok) setTeam(r.data.team);
    else setProblem(r.problem);
  }, [kase.id]);

  useEffect(() => {
    void load();
  }, [load]);

  /** A refused change names the account in the path: say why, in words, without the path. */
  const refused = (p: ApiProblem) => {
    const split = splitUserIdError(p);
    if (split.userId) setRowError(split.userId);
    else setProblem(p);
  };

  const changeRole = async (member: TeamMember, caseRole: CaseRole) => {
    setProblem(null);
    setRowError(null);
    setDone(null);
    const r = await run(
      api.PUT("/api/cases/{id}/team/{userId}", {
        params: { path: { ...path, userId: member.userId } },
        body: { caseRole },
      }),
    );
    if (!r.ok) return refused(r.problem);
    setTeam(r.data.team);
    setDone(t("team.roleChanged", { name: member.displayName, role: t(`caseRole.${caseRole}`) }));
  };

  const remove = async (member: TeamMember) => {
    setProblem(null);
    setRowError(null);
    setDone(null);
    const r = await run(
      api.DELETE("/api/cases/{id}/team/{userId}", { params: { path: { ...path, userId: member.userId } } }),
    );
    if (!r.ok) return refused(r.problem);
    setTeam(r.data.team);
    setDone(t("team.removed", { name: member.displayName }));
  };

  return (
    <section className="section panel" aria-labelledby="case-team-title">
      <h2 id="case-team-title">{t("team.title")}</h2>
      <p className="muted">{isLead ? t("team.introLead") : t("team.intro")}</p>
      <ProblemAlert problem={problem} />
      <div aria-live="assertive" aria-atomic="true">
        {rowError && <p className="alert alert-error">{fieldMessage(t, rowError)}</p>}
      </div>
      <StatusMessage message={done} />
      {team === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <table className="data-table" data-testid="team-table">
          <caption className="visually-hidden">{t("team.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("user.displayName")}</th>
              <th scope="col">{t("user.username")}</th>
              <th scope="col">{t("team.caseRole")}</th>
              <th scope="col">{t("team.addedAt")}</th>
              {isLead && <th scope="col">{t("common.actions")}</th>}
            </tr>
          </thead>
          <tbody>
            {team.map((m) => (
              <tr key={m.userId} data-testid={`team-row-${m.username}`} data-role={m.caseRole}>
                <td dir="auto">{m.displayName}</td>
                <td>
                  <code dir="ltr">{m.username}</code>
                </td>
                <td>{t(`caseRole.${m.caseRole}`)}</td>
                <td>{format.dateTime(m.addedAt)}</td>
                {isLead && (
                  <td>
                    {m.userId === session.user.id ? (
                      <span className="muted small">{t("team.you")}</span>
                    ) : (
                      <MemberActions member={m} onRole={changeRole} onRemove={remove} />
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isLead && <AddMember caseId={kase.id} onAdded={setTeam} />}
    </section>
  );
}

function MemberActions({
  member,
  onRole,
  onRemove,
}: {
  member: TeamMember;
  onRole: (m: TeamMember, role: CaseRole) => Promise<void>;
  onRemove: (m: TeamMember) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [role, setRole] = useState<CaseRole>(member.caseRole);
  const selectId = `role-${member.userId}`;
  return (
    <div className="member-actions">
      <label htmlFor={selectId} className="visually-hidden">
        {t("team.roleOf", { name: member.displayName })}
      </label>
      <select
        id={selectId}
        value={role}
        data-testid={`team-role-${member.username}`}
        onChange={(e) => setRole(ALL_CASE_ROLES.find((r) => r === e.target.value) ?? member.caseRole)}
      >
        {ALL_CASE_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`caseRole.${r}`)}
          </option>
        ))}
      </select>
      <button
        type="button"
        className="button button-secondary button-small"
        disabled={role === member.caseRole}
        onClick={() => void onRole(member, role)}
      >
        {t("team.changeRole")}
      </button>
      <ConfirmButton
        label={t("team.remove")}
        question={t("team.removeConfirm", { name: member.displayName })}
        danger
        testId={`team-remove-${member.username}`}
        onConfirm={() => onRemove(member)}
      />
    </div>
  );
}

function AddMember({ caseId, onAdded }: { caseId: string; onAdded: (team: TeamMember[]) => void }) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState("");
  const [caseRole, setCaseRole] = useState<CaseRole>("member");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [userIdError, setUserIdError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setUserIdError(undefined);
    setDone(null);
    const id = userId.trim();
    if (!id) {
      setUserIdError("must not be empty");
      return;
    }
    setBusy(true);
    const r = await run(
      api.PUT("/api/cases/{id}/team/{userId}", {
        params: { path: { id: caseId, userId: id } },
        body: { caseRole },
      }),
    );
    setBusy(false);
    if (!r.ok) {
      const split = splitUserIdError(forFields(r.problem, ["caseRole"]));
      setProblem(split.problem);
      setUserIdError(split.userId);
      return;
    }
    onAdded(r.data.team);
    const added = r.data.team.find((m) => m.userId === id);
    setDone(
      t("team.added", {
        name: added?.displayName ?? id,
        role: t(`caseRole.${added?.caseRole ?? caseRole}`),
      }),
    );
    setUserId("");
    setCaseRole("member");
  };

  return (
    <div className="subsection">
      <h3>{t("team.addTitle")}</h3>
      <p className="muted small">{t("team.addIntro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextField
          label={t("team.accountId")}
          hint={t("team.accountIdHint")}
          value={userId}
          onChange={setUserId}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          dir="ltr"
          error={userIdError}
          testId="team-add-user"
        />
        <SelectField
          label={t("team.caseRole")}
          value={caseRole}
          onChange={(v) => setCaseRole(ALL_CASE_ROLES.find((r) => r === v) ?? "member")}
          options={ALL_CASE_ROLES.map((r) => ({
            value: r,
            label: t(`caseRole.${r}`),
          }))}
          hint={t("team.caseRoleHint")}
          error={problem?.fields.caseRole}
          testId="team-add-role"
        />
        <div className="form-grid-wide">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="team-add-submit"
          >
            {busy ? t("common.saving") : t("team.addSubmit")}
          </button>
        </div>
      </form>
    </div>
  );
}
