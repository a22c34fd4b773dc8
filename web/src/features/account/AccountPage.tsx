/** My account: profile, interface language, and my API tokens for machine clients. */
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, type ApiToken, api, forFields, type Permission, run } from "../../api.ts";
import { ConfirmButton } from "../../components/ConfirmButton.tsx";
import { CheckboxGroup, ProblemAlert, StatusMessage, TextField } from "../../components/form/index.ts";
import { LanguageSelect } from "../../components/LanguageSelect.tsx";
import { PageTitle } from "../../components/PageTitle.tsx";
import { CopyButton, OneTimeSecret } from "../../components/Secret.tsx";
import { useFormat } from "../../format.ts";
import { useSignedIn } from "../../session.tsx";
import { MySecurityNotices } from "./SecurityNotices.tsx";

export function AccountPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSignedIn();
  const { user } = session;
  return (
    <>
      <PageTitle>{t("account.title")}</PageTitle>
      <MySecurityNotices />
      <div className="columns">
        <section className="panel" aria-labelledby="account-profile-title">
          <h2 id="account-profile-title">{t("account.profileTitle")}</h2>
          <dl className="details">
            <dt>{t("user.username")}</dt>
            <dd>
              <code dir="ltr">{user.username}</code>
            </dd>
            <dt>{t("user.displayName")}</dt>
            <dd>{user.displayName}</dd>
            <dt>{t("user.accountId")}</dt>
            <dd>
              <code className="wrap small" dir="ltr" data-testid="account-id">
                {user.id}
              </code>{" "}
              <CopyButton value={user.id} />
              <span className="field-hint block">{t("user.accountIdHint")}</span>
            </dd>
            <dt>{t("user.roles")}</dt>
            <dd>{user.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}</dd>
            <dt>{t("user.mfa")}</dt>
            <dd>{user.mfaEnrolled ? t("user.mfaEnrolled") : t("user.mfaNotEnrolled")}</dd>
            <dt>{t("user.createdAt")}</dt>
            <dd>{format.dateTime(user.createdAt)}</dd>
            <dt>{t("user.lastLogin")}</dt>
            <dd>{format.dateTime(user.lastLoginAt)}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="account-prefs-title">
          <h2 id="account-prefs-title">{t("account.preferencesTitle")}</h2>
          <p className="muted">{t("account.languageIntro")}</p>
          <LanguageSelect label={t("account.language")} className="field" />
        </section>
      </div>
      {session.can("tokens.own") && <Tokens permissions={session.permissions} />}
    </>
  );
}

function Tokens({ permissions }: { permissions: Permission[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/tokens"));
    if (r.ok) setTokens(r.data.tokens);
    else setProblem(r.problem);
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const revoke = async (token: ApiToken) => {
    setProblem(null);
    setStatus(null);
    const r = await run(api.DELETE("/api/tokens/{id}", { params: { path: { id: token.id } } }));
    if (!r.ok) setProblem(r.problem);
    else {
      setStatus(t("tokens.revoked", { name: token.name }));
      await load();
    }
  };

  const now = Date.now();
  const stateOf = (tk: ApiToken) =>
    tk.revokedAt ? "revoked" : new Date(tk.expiresAt).getTime() <= now ? "expired" : "active";

  return (
    <section className="section" aria-labelledby="tokens-title">
      <h2 id="tokens-title">{t("tokens.title")}</h2>
      <p className="muted">{t("tokens.intro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={status} />
      {tokens === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <table className="data-table" data-testid="tokens-table">
          <caption className="visually-hidden">{t("tokens.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("tokens.name")}</th>
              <th scope="col">{t("tokens.scopes")}</th>
              <th scope="col">{t("tokens.createdAt")}</th>
              <th scope="col">{t("tokens.expiresAt")}</th>
              <th scope="col">{t("tokens.lastUsedAt")}</th>
              <th scope="col">{t("tokens.state")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("common.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.length === 0 && (
              <tr>
                <td colSpan={7} className="empty">
                  {t("tokens.none")}
                </td>
              </tr>
            )}
            {tokens.map((tk) => {
              const state = stateOf(tk);
              return (
                <tr key={tk.id} data-testid={`token-row-${tk.id}`}>
                  <td dir="auto">{tk.name}</td>
                  <td>
                    <ul className="plain-list">
                      {tk.scopes.map((s) => (
                        <li key={s}>
                          <code dir="ltr">{s}</code>
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>{format.dateTime(tk.createdAt)}</td>
                  <td>{format.dateTime(tk.expiresAt)}</td>
                  <td>{format.dateTime(tk.lastUsedAt)}</td>
                  <td>
                    <span className={`badge ${state === "active" ? "badge-ok" : "badge-off"}`}>
                      {t(`tokens.states.${state}`)}
                    </span>
                  </td>
                  <td>
                    {state === "active" && (
                      <ConfirmButton
                        label={t("tokens.revoke")}
                        question={t("tokens.revokeConfirm", { name: tk.name })}
                        danger
                        testId={`token-revoke-${tk.id}`}
                        onConfirm={() => revoke(tk)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <CreateToken permissions={permissions} onCreated={() => void load()} />
    </section>
  );
}

function CreateToken({ permissions, onCreated }: { permissions: Permission[]; onCreated: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Permission[]>([]);
  const [days, setDays] = useState("90");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSecret(null);
    setBusy(true);
    const expiresInDays = days.trim() === "" ? Number.NaN : Number(days);
    const r = await run(
      api.POST("/api/tokens", {
        body: {
          name: name.trim(),
          scopes,
          expiresInDays: Number.isFinite(expiresInDays) ? expiresInDays : 0,
        },
      }),
    );
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["name", "scopes", "expiresInDays"]));
      return;
    }
    setSecret({ name: r.data.token.name, secret: r.data.secret });
    setName("");
    setScopes([]);
    setDays("90");
    onCreated();
  };

  return (
    <div className="panel subsection">
      <h3>{t("tokens.createTitle")}</h3>
      {secret && (
        <OneTimeSecret
          title={t("tokens.secretTitle", { name: secret.name })}
          note={t("tokens.secretNote")}
          value={secret.secret}
          testId="token-secret"
          onDismiss={() => setSecret(null)}
        />
      )}
      <ProblemAlert problem={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextField
          label={t("tokens.name")}
          value={name}
          onChange={setName}
          hint={t("tokens.nameHint")}
          autoComplete="off"
          required
          error={problem?.fields.name}
          testId="token-create-name"
        />
        <TextField
          type="number"
          label={t("tokens.expiresInDays")}
          value={days}
          onChange={setDays}
          min={1}
          max={365}
          step={1}
          inputMode="numeric"
          hint={t("tokens.expiresInDaysHint")}
          required
          error={problem?.fields.expiresInDays}
          testId="token-create-days"
        />
        <div className="form-grid-wide">
          <CheckboxGroup
            legend={t("tokens.scopes")}
            hint={t("tokens.scopesHint")}
            options={permissions.map((p) => ({ value: p, label: t(`permissions.${p}`), description: p }))}
            selected={scopes}
            onChange={setScopes}
            error={problem?.fields.scopes}
            testIdPrefix="token-create-scope-"
          />
        </div>
        <div className="form-grid-wide">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="token-create-submit"
          >
            {busy ? t("common.saving") : t("tokens.createSubmit")}
          </button>
        </div>
      </form>
    </div>
  );
}
