/**
 * The outbox: each message sent with its delivery state (read again while one waits),
 * filtered by state; and the dead letters, sent again on request.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, type MessageStatus, type OutboxMessage, run } from "../../api.ts";
import { Marking, messageTypeLabel } from "../../components/Federation.tsx";
import { ProblemAlert, SelectField, StatusMessage } from "../../components/form/index.ts";
import { isUrgent, MESSAGE_STATUSES } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { DeliveryBadge } from "./DeliveryBadge.tsx";
import { MessageBody, summaryOf } from "./MessageBody.tsx";

function isStatus(value: string): value is MessageStatus {
  return (MESSAGE_STATUSES as readonly string[]).includes(value);
}

export function OutboxView({ dead }: { dead?: boolean }) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<MessageStatus | "">(dead ? "dead" : "");
  const [messages, setMessages] = useState<OutboxMessage[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const status = dead ? "dead" : filter;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` reads the outbox again
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const query = status ? { status, limit: 200 } : { limit: 200 };
      const r = await run(api.GET("/api/federation/outbox", { params: { query } }));
      if (cancelled) return;
      if (r.ok) {
        setMessages(r.data.messages);
        setProblem(null);
      } else {
        setProblem(r.problem);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [status, tick]);

  // While something waits for delivery, its state is read again every few seconds.
  const waiting = messages?.some((m) => m.status === "queued") ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setInterval(() => setTick((n) => n + 1), 2500);
    return () => window.clearInterval(timer);
  }, [waiting]);

  const retry = async (m: OutboxMessage) => {
    setDone(null);
    const r = await run(api.POST("/api/federation/outbox/{id}/retry", { params: { path: { id: m.id } } }));
    if (!r.ok) {
      setProblem(r.problem);
      return;
    }
    setProblem(null);
    setDone(t("exchange.outbox.retried", { type: messageTypeLabel(t, m.type), node: m.recipient }));
    setMessages((prev) => {
      const list = (prev ?? []).map((x) => (x.id === r.data.id ? r.data : x));
      return dead ? list.filter((x) => x.status === "dead") : list;
    });
    setTick((n) => n + 1);
  };

  const titleKey = dead ? "exchange.dead.title" : "exchange.outbox.title";
  return (
    <section className="section" aria-labelledby="outbox-title">
      <div className="section-head">
        <h2 id="outbox-title">{t(titleKey)}</h2>
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="outbox-refresh"
          onClick={() => setTick((n) => n + 1)}
        >
          {t("exchange.outbox.refresh")}
        </button>
      </div>
      <p className="muted">{t(dead ? "exchange.dead.intro" : "exchange.outbox.intro")}</p>
      {!dead && (
        <form
          className="filters outbox-filters"
          aria-label={t("exchange.outbox.filterLabel")}
          onSubmit={(e) => e.preventDefault()}
        >
          <SelectField
            label={t("exchange.outbox.filterStatus")}
            value={filter}
            onChange={(v) => setFilter(isStatus(v) ? v : "")}
            options={[
              { value: "", label: t("exchange.outbox.allStatuses") },
              ...MESSAGE_STATUSES.map((s) => ({ value: s, label: t(`delivery.${s}`) })),
            ]}
            testId="outbox-filter"
          />
        </form>
      )}
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      {messages === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : messages.length === 0 ? (
        <p className="empty-note">{t(dead ? "exchange.dead.none" : "exchange.outbox.none")}</p>
      ) : (
        <OutboxTable messages={messages} onRetry={(m) => void retry(m)} caption={t(titleKey)} />
      )}
    </section>
  );
}

function OutboxTable({
  messages,
  onRetry,
  caption,
}: {
  messages: OutboxMessage[];
  onRetry: (m: OutboxMessage) => void;
  caption: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="table-scroll">
      <table className="data-table wrap-head message-table" data-testid="outbox-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("exchange.col.created")}</th>
            <th scope="col">{t("exchange.col.to")}</th>
            <th scope="col">{t("exchange.col.message")}</th>
            <th scope="col">{t("exchange.col.marking")}</th>
            <th scope="col">{t("exchange.col.delivery")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {messages.map((m) => (
            <tr key={m.id} data-testid="outbox-row" data-id={m.id} data-status={m.status} data-type={m.type}>
              <td className="nowrap">
                <time dateTime={m.createdAt}>{format.dateTime(m.createdAt)}</time>
              </td>
              <td>
                <span className="peer-id">{m.recipient}</span>
              </td>
              <td className="message-cell">
                <span className="message-type-line">
                  <strong>{messageTypeLabel(t, m.type)}</strong>
                  {isUrgent(m.type, m.body) && (
                    <span className="badge badge-alarm">{t("exchange.urgent")}</span>
                  )}
                </span>
                <span className="block clamp" dir="auto">
                  {summaryOf(m.body, m.type, t)}
                </span>
                {m.caseId && (
                  <Link className="small" to={`/cases/${encodeURIComponent(m.caseId)}`}>
                    {t("exchange.outbox.linkedCase")}
                  </Link>
                )}
                <details className="message-content">
                  <summary>{t("exchange.outbox.showContent")}</summary>
                  <MessageBody type={m.type} body={m.body} />
                </details>
              </td>
              <td className="marking-cell">
                <Marking tlp={m.tlp} handling={m.handling} />
                {m.namedRecipients.length > 0 && (
                  <span className="block small">
                    {t("exchange.namedFor", { names: m.namedRecipients.join(", ") })}
                  </span>
                )}
              </td>
              <td className="delivery-cell">
                <DeliveryBadge status={m.status} />
                {m.attempts > 0 && (
                  <span className="block small">{t("exchange.outbox.attempts", { n: m.attempts })}</span>
                )}
                {m.status === "queued" && m.attempts > 0 && (
                  <span className="block small muted">
                    {t("exchange.outbox.nextAttempt", { time: format.dateTime(m.nextAttemptAt) })}
                  </span>
                )}
                {m.doneAt && m.status !== "queued" && (
                  <span className="block small muted">
                    {t(`exchange.outbox.doneAt.${m.status}`, { time: format.dateTime(m.doneAt) })}
                  </span>
                )}
                {m.lastError && (
                  <span className="block small delivery-error" data-testid="outbox-error">
                    <span className="visually-hidden">{t("exchange.outbox.lastError")} </span>
                    <code dir="ltr" lang="en">
                      {m.lastError}
                    </code>
                  </span>
                )}
              </td>
              <td>
                {(m.status === "dead" || m.status === "rejected") && (
                  <button
                    type="button"
                    className="button button-primary button-small"
                    data-testid="outbox-retry"
                    onClick={() => onRetry(m)}
                  >
                    {t("exchange.outbox.retry")}
                    <span className="visually-hidden">
                      {" "}
                      {messageTypeLabel(t, m.type)} → {m.recipient}
                    </span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
