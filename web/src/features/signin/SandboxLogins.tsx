/** Sandbox only: the demo accounts and their current second-factor codes, refreshed as they change. */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type DemoLogin, run } from "../../api.ts";
import { useFormat } from "../../format.ts";

const REFRESH_MS = 10_000;
const STEP_MS = 30_000;

/** The demo logins, or null when this node is not a sandbox (the route answers 404). */
export function useSandboxLogins(): { logins: DemoLogin[] | null; updatedAt: Date | null } {
  const [state, setState] = useState<{ logins: DemoLogin[] | null; updatedAt: Date | null }>({
    logins: null,
    updatedAt: null,
  });
  useEffect(() => {
    let timer: number | undefined;
    let stopped = false;
    const load = async () => {
      const r = await run(api.GET("/api/sandbox/logins"));
      if (stopped) return;
      if (r.ok) setState({ logins: r.data.logins, updatedAt: new Date() });
      else if (r.problem.status === 404) return; // not a sandbox: stop asking
      // Refresh every 10 s, and just after each 30-second step of the codes.
      const toNextStep = STEP_MS - (Date.now() % STEP_MS) + 500;
      timer = window.setTimeout(() => void load(), Math.min(REFRESH_MS, toNextStep));
    };
    void load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, []);
  return state;
}

interface SandboxLoginsProps {
  logins: DemoLogin[];
  updatedAt: Date | null;
  onUse: (login: DemoLogin) => void;
  disabled: boolean;
}

export function SandboxLogins({ logins, updatedAt, onUse, disabled }: SandboxLoginsProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const first = logins[0]?.password;
  const sharedPassword = first !== undefined && logins.every((l) => l.password === first) ? first : null;
  return (
    <section className="sandbox-logins" aria-labelledby="sandbox-logins-title">
      <h2 id="sandbox-logins-title">{t("sandbox.title")}</h2>
      <p className="muted">{t("sandbox.intro")}</p>
      {sharedPassword !== null && (
        <p>
          {t("sandbox.sharedPassword")} <code dir="ltr">{sharedPassword}</code>
        </p>
      )}
      <table className="data-table" data-testid="sandbox-logins">
        <caption className="visually-hidden">{t("sandbox.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("sandbox.role")}</th>
            <th scope="col">{t("sandbox.username")}</th>
            <th scope="col">{t("sandbox.name")}</th>
            {sharedPassword === null && <th scope="col">{t("sandbox.password")}</th>}
            <th scope="col">{t("sandbox.code")}</th>
            <th scope="col">
              <span className="visually-hidden">{t("common.actions")}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {logins.map((l) => (
            <tr key={l.username} data-testid={`sandbox-login-${l.username}`}>
              <td>{t(`roles.${l.role}`, { defaultValue: l.role })}</td>
              <td>
                <code className="nowrap" dir="ltr">
                  {l.username}
                </code>
              </td>
              <td>{l.displayName}</td>
              {sharedPassword === null && (
                <td>
                  <code dir="ltr">{l.password}</code>
                </td>
              )}
              <td>
                {/* Spaces around the code keep it a separate word in the page's text (copy, search). */}{" "}
                <code className="totp" dir="ltr" data-testid={`sandbox-code-${l.username}`}>
                  {l.totpCode}
                </code>{" "}
              </td>
              <td>
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={disabled}
                  onClick={() => onUse(l)}
                >
                  {t("sandbox.use")}
                  <span className="visually-hidden"> {l.username}</span>
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {updatedAt && <p className="muted small">{t("sandbox.updatedAt", { time: format.time(updatedAt) })}</p>}
    </section>
  );
}
