/**
 * The live inbox of a liaison officer: one Server-Sent Events stream per page
 * (`/api/federation/inbox/stream`), opened by the shell for users who hold
 * `federation.exchange`, so that an urgent notice raises an alert on whatever
 * page they are on — a banner and an announcement in an assertive live region —
 * within a second of its arrival. The event carries only the sender, type and
 * TLP; the content is read from the inbox (an audited read) when it is opened.
 */
import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { TlpBadge } from "../../components/CaseBadges.tsx";
import { isTlp, messageTypeLabel } from "../../components/Federation.tsx";
import { useFormat } from "../../format.ts";
import { type LiveState, useEventStream } from "../../live.ts";
import { useSignedIn } from "../../session.tsx";

export interface Arrival {
  id: string;
  sender: string;
  type: string;
  tlp: string;
  urgent: boolean;
  at: Date;
}

interface ExchangeLive {
  state: LiveState;
  reconnect: () => void;
  /** Changes whenever something arrived, or the stream (re)opened: lists read the inbox again. */
  version: number;
  /** Urgent arrivals not yet opened or dismissed, newest first. */
  alerts: Arrival[];
  /** Ids of messages that arrived while this page was open (shown as new). */
  fresh: ReadonlySet<string>;
  /** The message was opened: its alert and its "new" mark go. */
  seen: (id: string) => void;
  dismiss: (id: string) => void;
  dismissAll: () => void;
}

const Context = createContext<ExchangeLive | null>(null);

function isArrival(value: unknown): value is Omit<Arrival, "at"> {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.id === "string" &&
    typeof v.sender === "string" &&
    typeof v.type === "string" &&
    typeof v.tlp === "string" &&
    typeof v.urgent === "boolean"
  );
}

/**
 * Puts a sentence into a live region: emptied first, so that the same sentence twice
 * (two notices of the same type from the same peer) is announced twice.
 */
function announce(set: (text: string) => void, text: string): void {
  set("");
  window.setTimeout(() => set(text), 100);
}

export function ExchangeLiveProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const username = useSignedIn().user.username;
  const [alerts, setAlerts] = useState<Arrival[]>([]);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [version, setVersion] = useState(0);
  const [urgentText, setUrgentText] = useState("");
  const [politeText, setPoliteText] = useState("");

  const { state, reconnect } = useEventStream("/api/federation/inbox/stream", ["message"], {
    onEvent: (_event, data) => {
      if (!isArrival(data)) return;
      // TLP:RED is for its named recipients: the others would not find it in their inbox.
      const named = (data as { namedRecipients?: unknown }).namedRecipients;
      if (data.tlp === "red" && !(Array.isArray(named) && named.includes(username))) return;
      const arrival: Arrival = { ...data, at: new Date() };
      setFresh((prev) => new Set(prev).add(arrival.id));
      setVersion((v) => v + 1);
      const words = {
        type: messageTypeLabel(t, arrival.type),
        sender: arrival.sender,
        tlp: `TLP:${arrival.tlp.toUpperCase()}`,
      };
      if (arrival.urgent) {
        setAlerts((prev) => [arrival, ...prev.filter((a) => a.id !== arrival.id)]);
        announce(setUrgentText, t("exchange.alert.announceUrgent", words));
      } else {
        announce(setPoliteText, t("exchange.alert.announce", words));
      }
    },
  });

  // A (re)opened stream may have missed arrivals: the lists read the inbox again.
  const [lastState, setLastState] = useState<LiveState>(state);
  if (state !== lastState) {
    setLastState(state);
    if (state === "live") setVersion((v) => v + 1);
  }

  const seen = useCallback((id: string) => {
    setAlerts((prev) => prev.filter((a) => a.id !== id));
    setFresh((prev) => {
      if (!prev.has(id)) return prev;
      const next = new Set(prev);
      next.delete(id);
      return next;
    });
  }, []);
  const dismiss = useCallback((id: string) => setAlerts((prev) => prev.filter((a) => a.id !== id)), []);
  const dismissAll = useCallback(() => setAlerts([]), []);

  const value = useMemo(
    () => ({ state, reconnect, version, alerts, fresh, seen, dismiss, dismissAll }),
    [state, reconnect, version, alerts, fresh, seen, dismiss, dismissAll],
  );
  return (
    <Context.Provider value={value}>
      <div
        className="visually-hidden"
        aria-live="assertive"
        aria-atomic="true"
        data-testid="urgent-announcer"
      >
        {urgentText}
      </div>
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {politeText}
      </div>
      {children}
    </Context.Provider>
  );
}

/** The live inbox, or null for users who do not exchange with peers. */
export function useExchangeLive(): ExchangeLive | null {
  return useContext(Context);
}

/** The banner of urgent arrivals, at the top of every page while any is unread. */
export function UrgentAlerts() {
  const { t } = useTranslation();
  const format = useFormat();
  const live = useExchangeLive();
  if (!live || live.alerts.length === 0) return null;
  return (
    <section
      className="alert alert-alarm urgent-alerts"
      aria-labelledby="urgent-alerts-title"
      data-testid="urgent-alert"
    >
      <div className="urgent-head">
        <p id="urgent-alerts-title" className="urgent-title">
          {t("exchange.alert.title", { n: live.alerts.length })}
        </p>
        {live.alerts.length > 1 && (
          <button type="button" className="button button-secondary button-small" onClick={live.dismissAll}>
            {t("exchange.alert.dismissAll")}
          </button>
        )}
      </div>
      <ul className="urgent-list">
        {live.alerts.map((a) => (
          <li
            key={a.id}
            data-testid="urgent-alert-item"
            data-id={a.id}
            data-sender={a.sender}
            data-type={a.type}
          >
            <span className="urgent-what">
              <strong>{messageTypeLabel(t, a.type)}</strong> {t("exchange.alert.from", { sender: a.sender })}{" "}
              {isTlp(a.tlp) ? <TlpBadge tlp={a.tlp} testId="urgent-tlp" /> : <code>{a.tlp}</code>}{" "}
              <span className="small">{t("exchange.alert.at", { time: format.time(a.at) })}</span>
            </span>
            <span className="urgent-actions">
              <Link
                className="button button-danger button-small"
                to={`/exchange/messages/${encodeURIComponent(a.id)}`}
                data-testid="urgent-alert-open"
              >
                {t("exchange.alert.open")}
                <span className="visually-hidden">
                  {" "}
                  {messageTypeLabel(t, a.type)} {t("exchange.alert.from", { sender: a.sender })}
                </span>
              </Link>
              <button
                type="button"
                className="button button-secondary button-small"
                onClick={() => live.dismiss(a.id)}
              >
                {t("exchange.alert.dismiss")}
                <span className="visually-hidden">
                  {" "}
                  {messageTypeLabel(t, a.type)} {t("exchange.alert.from", { sender: a.sender })}
                </span>
              </button>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "Live" / "Connecting…" / "Live updates unavailable" for the inbox stream. */
export function InboxLiveIndicator() {
  const { t } = useTranslation();
  const live = useExchangeLive();
  if (!live) return null;
  return (
    <span className="live-wrap">
      <span
        className={`live live-${live.state}`}
        data-testid="inbox-live"
        data-state={live.state}
        role="status"
      >
        <span className="live-dot" aria-hidden="true" />
        {t(`exchange.live.${live.state}`)}
      </span>
      {live.state === "offline" && (
        <button type="button" className="button button-secondary button-small" onClick={live.reconnect}>
          {t("crisis.live.reconnect")}
        </button>
      )}
    </span>
  );
}
