/** One staff account: its details and, for administrators, changes and security actions. */
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import { type ApiProblem, api, forFields, type Role, run, type User } from "../../api.ts";
import { ConfirmButton } from "../../components/ConfirmButton.tsx";
import {
  CheckboxGroup,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
} from "../../components/form/index.ts";
import { NotFoundPage } from "../../components/NotFoundPage.tsx";
import { PageTitle } from "../../components/PageTitle.tsx";
import { CopyButton, OneTimeSecret } from "../../components/Secret.tsx";
import { ALL_ROLES } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { LANGUAGE_NAMES } from "../../i18n/index.ts";
import { useSignedIn } from "../../session.tsx";
import { StatusBadges } from "./UsersPage.tsx";

export function UserDetailPage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const session = useSignedIn();
  const [user, setUser] = useState<User | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    let cancelled = false;
    setUser(null);
    setProblem(null);
    void (async () => {
      const r = await run(api.GET("/api/users/{id}", { params: { path: { id } } }));
      if (cancelled) return;
      if (r.ok) setUser(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (problem && (problem.status === 404 || problem.code === "validation_failed")) return <NotFoundPage />;

  return (
    <>
      <p className="breadcrumb">
        <Link to="/users">{t("users.backToList")}</Link>
      </p>
      {user ? (
        <>
          <PageTitle>{user.displayName}</PageTitle>
          <UserSummary user={user} />
          {session.can("users.manage") && (
            <>
              <EditUser key={user.id} user={user} onSaved={setUser} isSelf={user.id === session.user.id} />
              <SecurityActions user={user} onChanged={setUser} />
            </>
          )}
        </>
      ) : (
        <>
          <PageTitle>{t("users.accountTitle")}</PageTitle>
          <ProblemAlert problem={problem} />
          {!problem && <p className="muted">{t("common.loading")}</p>}
        </>
      )}
    </>
  );
}

function UserSummary({ user }: { user: User }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="panel section" aria-labelledby="user-summary-title">
      <h2 id="user-summary-title">{t("users.summaryTitle")}</h2>
      <dl className="details">
        <dt>{t("user.username")}</dt>
        <dd>
          <code dir="ltr">{user.username}</code>
        </dd>
        <dt>{t("user.accountId")}</dt>
        <dd>
          <code className="wrap small" dir="ltr" data-testid="user-account-id">
            {user.id}
          </code>{" "}
          <CopyButton value={user.id} />
        </dd>
        <dt>{t("user.roles")}</dt>
        <dd>{user.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}</dd>
        <dt>{t("user.status")}</dt>
        <dd>
          <StatusBadges user={user} />
        </dd>
        <dt>{t("user.mfa")}</dt>
        <dd>{user.mfaEnrolled ? t("user.mfaEnrolled") : t("user.mfaNotEnrolled")}</dd>
        <dt>{t("user.language")}</dt>
        <dd lang={user.language}>{LANGUAGE_NAMES[user.language]}</dd>
        <dt>{t("user.createdAt")}</dt>
        <dd>{format.dateTime(user.createdAt)}</dd>
        <dt>{t("user.lastLogin")}</dt>
        <dd>{format.dateTime(user.lastLoginAt)}</dd>
      </dl>
    </section>
  );
}

function EditUser({ user, onSaved, isSelf }: { user: User; onSaved: (u: User) => void; isSelf: boolean }) {
  const { t } = useTranslation();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<Role[]>(user.roles);
  const [status, setStatus] = useState<User["status"]>(user.status);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const sameRoles = roles.length === user.roles.length && roles.every((r) => user.roles.includes(r));
  const changed = displayName !== user.displayName || !sameRoles || status !== user.status;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSaved(null);
    const body: { displayName?: string; roles?: Role[]; status?: User["status"] } = {};
    if (displayName !== user.displayName) body.displayName = displayName.trim();
    if (!sameRoles) body.roles = roles;
    if (status !== user.status) body.status = status;
    if (Object.keys(body).length === 0) return;
    setBusy(true);
    const r = await run(api.PATCH("/api/users/{id}", { params: { path: { id: user.id } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["displayName", "roles", "status"]));
      return;
    }
    if ("approval" in r.data) {
      // The grant of case work waits for a second administrator; the rest is saved.
      onSaved(r.data.user);
      setRoles(r.data.user.roles);
      setSaved(t("approvals.waiting"));
      return;
    }
    onSaved(r.data);
    setRoles(r.data.roles);
    setSaved(t("users.saved"));
  };

  return (
    <section className="panel section" aria-labelledby="user-edit-title">
      <h2 id="user-edit-title">{t("users.editTitle")}</h2>
      <ProblemAlert problem={problem} />
      <StatusMessage message={saved} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextField
          label={t("user.displayName")}
          value={displayName}
          onChange={setDisplayName}
          autoComplete="off"
          required
          error={problem?.fields.displayName}
          testId="user-edit-name"
        />
        <SelectField
          label={t("user.status")}
          value={status}
          onChange={(v) => setStatus(v === "disabled" ? "disabled" : "active")}
          options={[
            { value: "active", label: t("status.active") },
            { value: "disabled", label: t("status.disabled") },
          ]}
          hint={isSelf ? t("users.selfStatusHint") : t("users.statusHint")}
          error={problem?.fields.status}
          testId="user-edit-status"
        />
        <div className="form-grid-wide">
          <CheckboxGroup
            legend={t("user.roles")}
            options={ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            selected={roles}
            onChange={setRoles}
            error={problem?.fields.roles}
            testIdPrefix="user-edit-role-"
          />
        </div>
        <div className="form-grid-wide">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy || !changed}
            data-testid="user-edit-submit"
          >
            {busy ? t("common.saving") : t("common.saveChanges")}
          </button>
        </div>
      </form>
    </section>
  );
}

function SecurityActions({ user, onChanged }: { user: User; onChanged: (u: User) => void }) {
  const { t } = useTranslation();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [temporaryPassword, setTemporaryPassword] = useState<string | null>(null);
  const path = { params: { path: { id: user.id } } };

  const act = async (
    call: () => Promise<
      { ok: true; data: User | { approval: unknown } } | { ok: false; problem: ApiProblem }
    >,
    message: string,
  ) => {
    setProblem(null);
    setDone(null);
    const r = await call();
    if (!r.ok) setProblem(r.problem);
    else if ("approval" in r.data) setDone(t("approvals.waiting"));
    else {
      onChanged(r.data);
      setDone(message);
    }
  };

  return (
    <section className="panel section" aria-labelledby="user-security-title">
      <h2 id="user-security-title">{t("users.securityTitle")}</h2>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      {temporaryPassword && (
        <OneTimeSecret
          title={t("users.temporaryPasswordTitle", { username: user.username })}
          note={t("users.temporaryPasswordNote")}
          value={temporaryPassword}
          testId="temporary-password"
          onDismiss={() => setTemporaryPassword(null)}
        />
      )}
      <p className="muted">{t("approvals.fourEyesHint")}</p>
      <ul className="action-list">
        {user.locked && (
          <li>
            <div>
              <strong>{t("users.unlock")}</strong>
              <p className="muted">{t("users.unlockHelp")}</p>
            </div>
            <button
              type="button"
              className="button button-secondary"
              data-testid="user-unlock"
              onClick={() =>
                void act(
                  () => run(api.POST("/api/users/{id}/unlock", path)),
                  t("users.unlocked", { username: user.username }),
                )
              }
            >
              {t("users.unlock")}
            </button>
          </li>
        )}
        <li>
          <div>
            <strong>{t("users.resetMfa")}</strong>
            <p className="muted">{t("users.resetMfaHelp")}</p>
          </div>
          <ConfirmButton
            label={t("users.resetMfa")}
            question={t("users.resetMfaConfirm", { username: user.username })}
            danger
            testId="user-reset-mfa"
            onConfirm={() =>
              act(
                () => run(api.POST("/api/users/{id}/reset-mfa", path)),
                t("users.mfaResetDone", { username: user.username }),
              )
            }
          />
        </li>
        <li>
          <div>
            <strong>{t("users.resetPassword")}</strong>
            <p className="muted">{t("users.resetPasswordHelp")}</p>
          </div>
          <ConfirmButton
            label={t("users.resetPassword")}
            question={t("users.resetPasswordConfirm", { username: user.username })}
            danger
            testId="user-reset-password"
            onConfirm={async () => {
              setProblem(null);
              setDone(null);
              const r = await run(api.POST("/api/users/{id}/reset-password", path));
              if (!r.ok) setProblem(r.problem);
              else if ("approval" in r.data) setDone(t("approvals.waiting"));
              else {
                onChanged(r.data.user);
                setTemporaryPassword(r.data.temporaryPassword);
              }
            }}
          />
        </li>
      </ul>
    </section>
  );
}
