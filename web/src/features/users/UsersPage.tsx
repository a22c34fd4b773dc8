/** Staff accounts: the list with filters and, for administrators, the creation of an account. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, forFields, type Role, run, type User } from "../../api.ts";
import { CheckboxGroup, ProblemAlert, SelectField, TextField } from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { OneTimeSecret } from "../../components/Secret.tsx";
import { ALL_ROLES } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from "../../i18n/index.ts";
import { useSignedIn } from "../../session.tsx";
import { ApprovalsPanel } from "./ApprovalsPanel.tsx";

interface Filters {
  q: string;
  role: string;
  status: string;
}

const NO_FILTERS: Filters = { q: "", role: "", status: "" };

export function UsersPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [users, setUsers] = useState<User[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [tick, setTick] = useState(0);

  const load = useCallback(async (f: Filters) => {
    const query: { q?: string; role?: Role; status?: "active" | "disabled" } = {};
    if (f.q.trim()) query.q = f.q.trim();
    if (f.role) query.role = f.role as Role;
    if (f.status === "active" || f.status === "disabled") query.status = f.status;
    const r = await run(api.GET("/api/users", { params: { query } }));
    if (r.ok) {
      setUsers(r.data.users);
      setProblem(null);
    } else {
      setProblem(r.problem);
    }
  }, []);

  useEffect(() => {
    void load(filters);
  }, [load, filters]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setFilters({ ...draft });
  };

  return (
    <>
      <PageTitle>{t("users.title")}</PageTitle>
      <section aria-labelledby="users-list-title" className="section">
        <h2 id="users-list-title">{t("users.listTitle")}</h2>
        <form className="filters" onSubmit={apply} aria-label={t("users.filtersLabel")}>
          <TextField
            type="search"
            label={t("users.search")}
            value={draft.q}
            onChange={(q) => setDraft({ ...draft, q })}
          />
          <SelectField
            label={t("users.filterRole")}
            value={draft.role}
            onChange={(role) => setDraft({ ...draft, role })}
            options={[
              { value: "", label: t("users.allRoles") },
              ...ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) })),
            ]}
          />
          <SelectField
            label={t("users.filterStatus")}
            value={draft.status}
            onChange={(status) => setDraft({ ...draft, status })}
            options={[
              { value: "", label: t("users.allStatuses") },
              { value: "active", label: t("status.active") },
              { value: "disabled", label: t("status.disabled") },
            ]}
          />
          <div className="filter-actions">
            <button type="submit" className="button button-primary">
              {t("common.applyFilters")}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => {
                setDraft(NO_FILTERS);
                setFilters(NO_FILTERS);
              }}
            >
              {t("common.clearFilters")}
            </button>
          </div>
        </form>
        <ProblemAlert problem={problem} />
        {users === null ? (
          !problem && <p className="muted">{t("common.loading")}</p>
        ) : (
          <UsersTable users={users} />
        )}
      </section>
      {session.can("users.manage") && (
        <>
          <ApprovalsPanel refreshKey={tick} onDecided={() => void load(filters)} />
          <CreateUser
            onCreated={() => {
              setTick((n) => n + 1);
              void load(filters);
            }}
          />
        </>
      )}
    </>
  );
}

function UsersTable({ users }: { users: User[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <>
      <p className="muted small" aria-live="polite">
        {t("users.count", { n: users.length })}
      </p>
      <table className="data-table" data-testid="users-table">
        <caption className="visually-hidden">{t("users.listTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("user.username")}</th>
            <th scope="col">{t("user.displayName")}</th>
            <th scope="col">{t("user.roles")}</th>
            <th scope="col">{t("user.status")}</th>
            <th scope="col">{t("user.mfa")}</th>
            <th scope="col">{t("user.lastLogin")}</th>
          </tr>
        </thead>
        <tbody>
          {users.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                {t("users.none")}
              </td>
            </tr>
          )}
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-row-${u.username}`}>
              <td>
                <Link to={`/users/${u.id}`} dir="ltr">
                  {u.username}
                </Link>
              </td>
              <td>{u.displayName}</td>
              <td>{u.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}</td>
              <td>
                <StatusBadges user={u} />
              </td>
              <td>{u.mfaEnrolled ? t("user.mfaEnrolled") : t("user.mfaNotEnrolled")}</td>
              <td>{format.dateTime(u.lastLoginAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function StatusBadges({ user }: { user: User }) {
  const { t } = useTranslation();
  return (
    <span className="badges">
      <span className={`badge ${user.status === "active" ? "badge-ok" : "badge-off"}`}>
        {t(`status.${user.status}`)}
      </span>
      {user.locked && <span className="badge badge-alarm">{t("status.locked")}</span>}
    </span>
  );
}

const CREATE_FIELDS = ["username", "displayName", "roles", "password", "language"];

function CreateUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [roles, setRoles] = useState<Role[]>([]);
  const [password, setPassword] = useState("");
  const [language, setLanguage] = useState<Language>("en");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<{ user: User; temporaryPassword?: string } | null>(null);
  const [waiting, setWaiting] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    setCreated(null);
    setWaiting(null);
    const body = {
      username: username.trim(),
      displayName: displayName.trim(),
      roles,
      language,
      ...(password ? { password } : {}),
    };
    const r = await run(api.POST("/api/users", { body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, CREATE_FIELDS));
      return;
    }
    if ("approval" in r.data) setWaiting(r.data.approval.targetUsername);
    else setCreated(r.data);
    setUsername("");
    setDisplayName("");
    setRoles([]);
    setPassword("");
    setLanguage("en");
    onCreated();
  };

  return (
    <section aria-labelledby="user-create-title" className="section panel">
      <h2 id="user-create-title">{t("users.createTitle")}</h2>
      {created &&
        (created.temporaryPassword ? (
          <OneTimeSecret
            title={t("users.temporaryPasswordTitle", { username: created.user.username })}
            note={t("users.temporaryPasswordNote")}
            value={created.temporaryPassword}
            testId="temporary-password"
            onDismiss={() => setCreated(null)}
          />
        ) : (
          <p className="alert alert-success" role="status">
            {t("users.created", { username: created.user.username })}
          </p>
        ))}
      {waiting && (
        <p className="alert alert-info" role="status" data-testid="user-create-waiting">
          {t("approvals.createWaiting", { username: waiting })}
        </p>
      )}
      <p className="muted">{t("users.createIntro")}</p>
      <ProblemAlert problem={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextField
          label={t("user.username")}
          value={username}
          onChange={setUsername}
          hint={t("users.usernameHint")}
          autoComplete="off"
          autoCapitalize="none"
          spellCheck={false}
          dir="ltr"
          required
          error={problem?.fields.username}
          testId="user-create-username"
        />
        <TextField
          label={t("user.displayName")}
          value={displayName}
          onChange={setDisplayName}
          autoComplete="off"
          required
          error={problem?.fields.displayName}
          testId="user-create-name"
        />
        <div className="form-grid-wide">
          <CheckboxGroup
            legend={t("user.roles")}
            hint={t("users.rolesHint")}
            options={ALL_ROLES.map((r) => ({ value: r, label: t(`roles.${r}`) }))}
            selected={roles}
            onChange={setRoles}
            error={problem?.fields.roles}
            testIdPrefix="user-create-role-"
          />
        </div>
        <SelectField
          label={t("user.language")}
          value={language}
          onChange={(v) => isLanguage(v) && setLanguage(v)}
          options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          error={problem?.fields.language}
        />
        <TextField
          type="password"
          label={t("users.initialPassword")}
          value={password}
          onChange={setPassword}
          hint={t("users.initialPasswordHint")}
          autoComplete="new-password"
          dir="ltr"
          error={problem?.fields.password}
          testId="user-create-password"
        />
        <div className="form-grid-wide">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="user-create-submit"
          >
            {busy ? t("common.saving") : t("users.createSubmit")}
          </button>
        </div>
      </form>
    </section>
  );
}
