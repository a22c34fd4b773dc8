/**
 * The inbox of a liaison officer: the messages received from peer nodes, newest
 * first, read again when one arrives (the new ones marked), each with its sender,
 * type, person, summary and marking.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, type InboxMessage, run } from "../../api.ts";
import { Marking, messageTypeLabel } from "../../components/Federation.tsx";
import { ProblemAlert } from "../../components/form/index.ts";
import { isUrgent } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { useExchangeLive } from "./live.tsx";
import { personLine, summaryOf } from "./MessageBody.tsx";

export function InboxView() {
  const { t } = useTranslation();
  const format = useFormat();
  const live = useExchangeLive();
  const [messages, setMessages] = useState<InboxMessage[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const version = live?.version ?? 0;

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` reads the inbox again after an arrival
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/federation/inbox", { params: { query: { limit: 200 } } }));
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
  }, [version]);

  return (
    <section className="section" aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t("exchange.inbox.title")}</h2>
      <p className="muted">{t("exchange.inbox.intro")}</p>
      <ProblemAlert problem={problem} />
      {messages === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : messages.length === 0 ? (
        <p className="empty-note">{t("exchange.inbox.none")}</p>
      ) : (
        <div className="table-scroll">
          <table className="data-table wrap-head message-table" data-testid="inbox-table">
            <caption className="visually-hidden">{t("exchange.inbox.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("exchange.col.received")}</th>
                <th scope="col">{t("exchange.col.from")}</th>
                <th scope="col">{t("exchange.col.message")}</th>
                <th scope="col">{t("exchange.col.marking")}</th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => {
                const isNew = live?.fresh.has(m.id) ?? false;
                const person = personLine(m.body);
                return (
                  <tr
                    key={m.id}
                    data-testid="inbox-row"
                    data-id={m.id}
                    data-type={m.type}
                    data-sender={m.sender}
                    className={isNew ? "row-fresh" : undefined}
                  >
                    <td className="nowrap">
                      <time dateTime={m.receivedAt}>{format.dateTime(m.receivedAt)}</time>
                    </td>
                    <td>
                      <span className="peer-id">{m.sender}</span>
                    </td>
                    <td className="message-cell">
                      <span className="message-type-line">
                        <Link to={`/exchange/messages/${encodeURIComponent(m.id)}`} data-testid="inbox-open">
                          {messageTypeLabel(t, m.type)}
                        </Link>
                        {isUrgent(m.type, m.body) && (
                          <span className="badge badge-alarm">{t("exchange.urgent")}</span>
                        )}
                        {isNew && <span className="badge badge-info">{t("exchange.new")}</span>}
                      </span>
                      {person && (
                        <bdi className="block person-name" data-testid="inbox-person">
                          {person}
                        </bdi>
                      )}
                      <span className="block clamp" dir="auto">
                        {summaryOf(m.body, m.type, t)}
                      </span>
                    </td>
                    <td className="marking-cell">
                      <Marking tlp={m.tlp} handling={m.handling} testId="inbox-marking" />
                      {m.namedRecipients.length > 0 && (
                        <span className="block small">
                          {t("exchange.namedFor", { names: m.namedRecipients.join(", ") })}
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
