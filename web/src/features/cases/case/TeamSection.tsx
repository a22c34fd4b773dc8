/**
 * The case team: who works on the case and in which role. The lead puts
 * colleagues on the team by finding them by name (the node lists active
 * accounts with a case-work role), changes their role or takes them off.
 */
import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CaseRole,
  type CaseView,
  type Colleague,
  fieldMessage,
  forFields,
  run,
  type TeamMember,
} from "../../../api.ts";
import { ConfirmButton } from "../../../components/ConfirmButton.tsx";
import {
  FieldGroup,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
} from "../../../components/form/index.ts";
import { ALL_CASE_ROLES, may } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";

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

export function TeamPanel({ kase }: { kase: CaseView }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const format = useFormat();
  const [team, setTeam] = useState<TeamMember[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const isLead = may(kase, "case.team");
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
    <section className="section panel" id="case-team" aria-labelledby="case-team-title">
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
      {isLead && <AddMember caseId={kase.id} team={team ?? []} onAdded={setTeam} />}
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

/** Colleagues matching what the lead types (at least two characters), a moment after typing stops. */
function useColleagueSearch(query: string, enabled: boolean) {
  const [results, setResults] = useState<Colleague[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [searching, setSearching] = useState(false);
  const q = query.trim();
  useEffect(() => {
    if (!enabled || q.length < 2) {
      setResults(null);
      setProblem(null);
      setSearching(false);
      return;
    }
    let cancelled = false;
    setSearching(true);
    const timer = window.setTimeout(async () => {
      const r = await run(api.GET("/api/colleagues", { params: { query: { q } } }));
      if (cancelled) return;
      setSearching(false);
      if (r.ok) {
        setResults(r.data.colleagues);
        setProblem(null);
      } else {
        setResults(null);
        setProblem(r.problem);
      }
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [q, enabled]);
  return { results, problem, searching };
}

function AddMember({
  caseId,
  team,
  onAdded,
}: {
  caseId: string;
  team: TeamMember[];
  onAdded: (team: TeamMember[]) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<Colleague | null>(null);
  const [caseRole, setCaseRole] = useState<CaseRole>("member");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [userIdError, setUserIdError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const search = useColleagueSearch(query, picked === null);
  const onTeam = new Set(team.map((m) => m.userId));

  const pick = (c: Colleague) => {
    setPicked(c);
    setUserIdError(undefined);
    setProblem(null);
    window.setTimeout(() => changeRef.current?.focus(), 0);
  };
  const unpick = () => {
    setPicked(null);
    window.setTimeout(() => searchRef.current?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setUserIdError(undefined);
    setDone(null);
    if (!picked) {
      setUserIdError(t("team.pickFirst"));
      return;
    }
    setBusy(true);
    const r = await run(
      api.PUT("/api/cases/{id}/team/{userId}", {
        params: { path: { id: caseId, userId: picked.userId } },
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
    const added = r.data.team.find((m) => m.userId === picked.userId);
    setDone(
      t("team.added", {
        name: added?.displayName ?? picked.displayName,
        role: t(`caseRole.${added?.caseRole ?? caseRole}`),
      }),
    );
    setPicked(null);
    setQuery("");
    setCaseRole("member");
  };

  const results = search.results;
  const status = search.searching
    ? t("team.searching")
    : results === null
      ? ""
      : results.length === 0
        ? t("team.noColleague")
        : t("team.colleaguesFound", { n: results.length });

  return (
    <div className="subsection">
      <h3>{t("team.addTitle")}</h3>
      <p className="muted small">{t("team.addIntro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        {picked ? (
          <FieldGroup
            variant="field"
            className="picked-field"
            legend={t("team.colleague")}
            error={userIdError}
          >
            <div className="picked" data-testid="team-picked">
              <span>
                <bdi className="strong">{picked.displayName}</bdi>{" "}
                <code dir="ltr" className="muted">
                  {picked.username}
                </code>
                <span className="block small muted">
                  {picked.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}
                </span>
              </span>
              <button
                type="button"
                ref={changeRef}
                className="button button-secondary button-small"
                onClick={unpick}
                data-testid="team-unpick"
              >
                {t("team.pickAnother")}
              </button>
            </div>
          </FieldGroup>
        ) : (
          <TextField
            type="search"
            label={t("team.search")}
            hint={t("team.searchHint")}
            value={query}
            onChange={setQuery}
            inputRef={searchRef}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            dir="auto"
            error={userIdError}
            testId="team-search"
          />
        )}
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
        {!picked && (
          <div className="form-grid-wide">
            <p className="muted small live-line" aria-live="polite" data-testid="colleague-status">
              {status}
            </p>
            <ProblemAlert problem={search.problem} />
            {results && results.length > 0 && (
              <ul
                className="colleague-results"
                data-testid="colleague-results"
                aria-label={t("team.results")}
              >
                {results.map((c) => {
                  const already = onTeam.has(c.userId);
                  return (
                    <li key={c.userId}>
                      <button
                        type="button"
                        className="colleague-option"
                        disabled={already}
                        data-testid={`colleague-option-${c.username}`}
                        onClick={() => pick(c)}
                      >
                        <span>
                          <bdi className="strong">{c.displayName}</bdi>{" "}
                          <code dir="ltr" className="muted">
                            {c.username}
                          </code>
                        </span>
                        <span className="small muted">
                          {already
                            ? t("team.alreadyOnTeam")
                            : c.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
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
