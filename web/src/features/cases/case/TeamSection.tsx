/**
 * The case team: who works on the case and in which role. The lead puts
 * colleagues on the team by finding them by name (the node lists active
 * accounts with a case-work role), changes their role or takes them off.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CaseRole,
  type CaseView,
  fieldMessage,
  run,
  type TeamMember,
} from "../../../api.ts";
import { ConfirmButton } from "../../../components/ConfirmButton.tsx";
import { ProblemAlert, StatusMessage } from "../../../components/form/index.ts";
import { ALL_CASE_ROLES, may } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";
import { AddMember } from "./AddMember.tsx";
import { splitUserIdError } from "./common.tsx";

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
