/** Top level: the session decides between the login page and the signed-in shell. */
import { useTranslation } from "react-i18next";
import { Route, Routes } from "react-router-dom";
import { ProblemAlert } from "./components/form/index.ts";
import { IntegrityBanner } from "./components/IntegrityBanner.tsx";
import { NotFoundPage } from "./components/NotFoundPage.tsx";
import { Shell } from "./components/Shell.tsx";
import { AccountPage } from "./features/account/AccountPage.tsx";
import { AuditPage } from "./features/audit/AuditPage.tsx";
import { CasesPage } from "./features/cases/CasesPage.tsx";
import { CasePage } from "./features/cases/case/CasePage.tsx";
import { NewCasePage } from "./features/cases/new/NewCasePage.tsx";
import { FollowupsPage } from "./features/hits/FollowupsPage.tsx";
import { HomePage } from "./features/home/HomePage.tsx";
import { ComposeView } from "./features/messages/compose/ComposeView.tsx";
import { ExchangeLayout } from "./features/messages/ExchangePage.tsx";
import { InboxView } from "./features/messages/InboxView.tsx";
import { MessagePage } from "./features/messages/message/MessagePage.tsx";
import { OutboxView } from "./features/messages/OutboxView.tsx";
import { PeersPage } from "./features/peers/PeersPage.tsx";
import { LoginPage } from "./features/signin/LoginPage.tsx";
import { GlobalReportPage } from "./features/statistics/report/GlobalReportPage.tsx";
import { ReturnPage } from "./features/statistics/returns/ReturnPage.tsx";
import { ReturnsPage } from "./features/statistics/returns/ReturnsPage.tsx";
import { StatisticsPage } from "./features/statistics/StatisticsPage.tsx";
import { UserDetailPage } from "./features/users/UserDetailPage.tsx";
import { UsersPage } from "./features/users/UsersPage.tsx";
import { useSession, useSignedIn } from "./session.tsx";

export function App() {
  const { t } = useTranslation();
  const { state, refresh } = useSession();
  if (state.status === "loading") {
    return (
      <main id="main" className="centered">
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      </main>
    );
  }
  if (state.status === "error") {
    return (
      <main id="main" className="centered">
        <div className="login-card">
          <h1>{t("app.unavailableTitle")}</h1>
          <ProblemAlert problem={state.problem} />
          <button type="button" className="button button-primary" onClick={() => void refresh()}>
            {t("common.retry")}
          </button>
        </div>
      </main>
    );
  }
  if (state.status === "anonymous") return <LoginPage />;
  return (
    <Shell>
      <IntegrityBanner />
      <SignedInRoutes />
    </Shell>
  );
}

/** Pages exist only for the permissions the server granted; others are "not found". */
function SignedInRoutes() {
  const session = useSignedIn();
  return (
    <Routes>
      <Route path="/" element={<HomePage />} />
      {session.can("users.read") && <Route path="/users" element={<UsersPage />} />}
      {session.can("users.read") && <Route path="/users/:id" element={<UserDetailPage />} />}
      {session.can("audit.read") && <Route path="/audit" element={<AuditPage />} />}
      {session.can("cases.work") && <Route path="/cases" element={<CasesPage />} />}
      {session.can("cases.create") && <Route path="/cases/new" element={<NewCasePage />} />}
      {session.can("cases.work") && <Route path="/cases/:id" element={<CasePage />} />}
      {session.can("cases.work") && <Route path="/hits/followups" element={<FollowupsPage />} />}
      {session.can("cases.statistics") && <Route path="/statistics" element={<StatisticsPage />} />}
      {session.can("statistics.returns") && <Route path="/statistics/returns" element={<ReturnsPage />} />}
      {session.can("statistics.returns") && <Route path="/statistics/returns/:id" element={<ReturnPage />} />}
      {session.can("statistics.report") && <Route path="/statistics/report" element={<GlobalReportPage />} />}
      {session.can("federation.manage") && <Route path="/peers" element={<PeersPage />} />}
      {session.can("federation.exchange") && (
        <Route path="/exchange" element={<ExchangeLayout />}>
          <Route index element={<InboxView />} />
          <Route path="outbox" element={<OutboxView />} />
          <Route path="dead" element={<OutboxView key="dead" dead />} />
          <Route path="compose" element={<ComposeView />} />
        </Route>
      )}
      {session.can("federation.exchange") && (
        <Route path="/exchange/messages/:id" element={<MessagePage />} />
      )}
      <Route path="/account" element={<AccountPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
