/** Home: who I am on this node, my roles, and what the server lets me do. */
import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/PageTitle.tsx";
import { useFormat } from "../../format.ts";
import { useSignedIn } from "../../session.tsx";
import { MySecurityNotices } from "../account/SecurityNotices.tsx";

export function HomePage() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSignedIn();
  const { user } = session;
  return (
    <>
      <PageTitle>{t("home.greeting", { name: user.displayName })}</PageTitle>
      <p className="lead">{t("home.intro", { node: session.nodeId })}</p>
      <MySecurityNotices />
      <div className="columns">
        <section className="panel" aria-labelledby="home-account">
          <h2 id="home-account">{t("home.yourAccount")}</h2>
          <dl className="details">
            <dt>{t("user.username")}</dt>
            <dd>
              <code dir="ltr">{user.username}</code>
            </dd>
            <dt>{t("home.node")}</dt>
            <dd>{session.nodeId}</dd>
            <dt>{t("user.roles")}</dt>
            <dd>
              <ul className="tags">
                {user.roles.map((r) => (
                  <li key={r} className="tag">
                    {t(`roles.${r}`)}
                  </li>
                ))}
              </ul>
            </dd>
            <dt>{t("user.lastLogin")}</dt>
            <dd>{format.dateTime(user.lastLoginAt)}</dd>
          </dl>
        </section>
        <section className="panel" aria-labelledby="home-can">
          <h2 id="home-can">{t("home.whatYouCanDo")}</h2>
          <ul className="permission-list">
            {session.permissions.map((p) => (
              <li key={p}>
                <span>{t(`permissions.${p}`)}</span> <code className="muted small">{p}</code>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </>
  );
}
