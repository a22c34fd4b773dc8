/** The signed-in layout: header (node, user, language, sign-out), permission-driven nav, main. */
import { type ReactNode, useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, useLocation } from "react-router-dom";
import type { Permission } from "../api.ts";
import { ExchangeLiveProvider, UrgentAlerts } from "../features/messages/live.tsx";
import { useSession, useSignedIn } from "../session.tsx";
import { LanguageSelect } from "./LanguageSelect.tsx";

interface NavItem {
  to: string;
  key: string;
  testId: string;
  /** Shown only when the server granted this permission (null: every signed-in user). */
  permission: Permission | null;
}

const NAV: NavItem[] = [
  { to: "/", key: "nav.home", testId: "nav-home", permission: null },
  { to: "/cases", key: "nav.cases", testId: "nav-cases", permission: "cases.work" },
  { to: "/hits/followups", key: "nav.followups", testId: "nav-followups", permission: "cases.work" },
  { to: "/statistics", key: "nav.statistics", testId: "nav-statistics", permission: "cases.statistics" },
  { to: "/statistics/returns", key: "nav.returns", testId: "nav-returns", permission: "statistics.returns" },
  { to: "/statistics/report", key: "nav.report", testId: "nav-report", permission: "statistics.report" },
  { to: "/exchange", key: "nav.exchange", testId: "nav-exchange", permission: "federation.exchange" },
  { to: "/peers", key: "nav.peers", testId: "nav-peers", permission: "federation.manage" },
  { to: "/users", key: "nav.users", testId: "nav-users", permission: "users.read" },
  { to: "/audit", key: "nav.audit", testId: "nav-audit", permission: "audit.read" },
  { to: "/account", key: "nav.account", testId: "nav-account", permission: "self.read" },
];

export function Shell({ children }: { children: ReactNode }) {
  const session = useSignedIn();
  // A liaison officer hears of urgent messages from peers on every page.
  if (session.can("federation.exchange")) {
    return (
      <ExchangeLiveProvider>
        <ShellLayout>{children}</ShellLayout>
      </ExchangeLiveProvider>
    );
  }
  return <ShellLayout>{children}</ShellLayout>;
}

function ShellLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { signOut } = useSession();
  const session = useSignedIn();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After in-app navigation, move focus to the new page's heading (as a page load would).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of path
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    const heading = mainRef.current?.querySelector<HTMLElement>("h1");
    (heading ?? mainRef.current)?.focus();
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("shell.skipToContent")}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <div className="brand">
            <span className="brand-name">{t("app.name")}</span>
            <span className="node-badge">
              <span className="visually-hidden">{t("shell.node")} </span>
              {session.nodeId}
            </span>
            {session.sandbox && <span className="sandbox-badge">{t("shell.sandbox")}</span>}
          </div>
          <div className="header-tools">
            <span className="header-user">
              <span className="visually-hidden">{t("shell.signedInAs")} </span>
              {session.user.displayName}
            </span>
            <LanguageSelect testId="language-select" className="on-dark" />
            <button
              type="button"
              className="button button-on-dark"
              data-testid="logout"
              onClick={() => void signOut()}
            >
              {t("shell.signOut")}
            </button>
          </div>
        </div>
      </header>
      <nav className="app-nav" aria-label={t("shell.navLabel")} data-testid="nav">
        <ul>
          {NAV.filter((item) => item.permission === null || session.can(item.permission)).map((item) => (
            <li key={item.to}>
              <NavLink
                to={item.to}
                end={item.to === "/" || item.to === "/statistics"}
                data-testid={item.testId}
              >
                {t(item.key)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        <UrgentAlerts />
        {children}
      </main>
    </div>
  );
}
