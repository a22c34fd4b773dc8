/**
 * The international exchange of a liaison officer (`federation.exchange`): the
 * inbox of messages received from peer nodes (InboxView), the outbox with each
 * message's delivery state and the dead letters to send again (OutboxView), and
 * the forms that compose notices and requests (compose/). Each tab is its own
 * address; this is the frame with the tabs.
 */
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router-dom";
import { PageTitle } from "../../components/PageTitle.tsx";
import { InboxLiveIndicator } from "./live.tsx";

export function ExchangeLayout() {
  const { t } = useTranslation();
  const tabs = [
    { to: "/exchange", key: "exchange.tabs.inbox", testId: "exchange-tab-inbox", end: true },
    { to: "/exchange/outbox", key: "exchange.tabs.outbox", testId: "exchange-tab-outbox", end: true },
    { to: "/exchange/dead", key: "exchange.tabs.dead", testId: "exchange-tab-dead", end: true },
    { to: "/exchange/compose", key: "exchange.tabs.compose", testId: "exchange-tab-compose", end: true },
  ];
  return (
    <>
      <div className="page-head">
        <PageTitle>{t("exchange.title")}</PageTitle>
        <InboxLiveIndicator />
      </div>
      <p className="lead">{t("exchange.intro")}</p>
      <nav className="tabs" aria-label={t("exchange.tabsLabel")}>
        <ul>
          {tabs.map((tab) => (
            <li key={tab.to}>
              <NavLink to={tab.to} end={tab.end} data-testid={tab.testId}>
                {t(tab.key)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <Outlet />
    </>
  );
}

// ---- Outbox and dead letters ---------------------------------------------------------------------
