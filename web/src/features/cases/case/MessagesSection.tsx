/**
 * What the federation carried about the case: messages received from partner
 * nodes and linked to it (a liaison officer links them, or opens the case from
 * one), and what this node sent about it, with the delivery state. The sender's
 * handling codes stand beside each message (H1: not for court without
 * permission). TLP:RED messages appear only to the people they name.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { type ApiProblem, api, type CaseMessages, run } from "../../../api.ts";
import { Marking, messageTypeLabel } from "../../../components/Federation.tsx";
import { ProblemAlert } from "../../../components/form/index.ts";
import { useFormat } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";
import { DeliveryBadge } from "../../messages/DeliveryBadge.tsx";
import { summaryOf } from "../../messages/MessageBody.tsx";

export function MessagesSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [data, setData] = useState<CaseMessages | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/cases/{id}/messages", { params: { path: { id: caseId } } }));
      if (cancelled) return;
      if (r.ok) setData(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [caseId]);
  const exchange = session.can("federation.exchange");
  return (
    <section className="section panel" id="case-messages" aria-labelledby="case-messages-title">
      <h2 id="case-messages-title">{t("caseMessages.title")}</h2>
      <p className="muted">{t("caseMessages.intro")}</p>
      <ProblemAlert problem={problem} />
      {data === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <>
          <h3 className="subsection">{t("caseMessages.received")}</h3>
          {data.received.length === 0 ? (
            <p className="empty-note">{t("caseMessages.noneReceived")}</p>
          ) : (
            <MessageTable
              testId="case-received"
              caption={t("caseMessages.received")}
              peerHeading={t("exchange.col.from")}
              rows={data.received.map((m) => ({
                id: m.id,
                at: m.receivedAt,
                peer: m.sender,
                type: m.type,
                body: m.body,
                tlp: m.tlp,
                handling: m.handling,
                href: exchange ? `/exchange/messages/${encodeURIComponent(m.id)}` : null,
                state: m.openedFromMessage ? (
                  <span className="small">{t("caseMessages.openedFrom")}</span>
                ) : null,
              }))}
            />
          )}
          <h3 className="subsection">{t("caseMessages.sent")}</h3>
          {data.sent.length === 0 ? (
            <p className="empty-note">{t("caseMessages.noneSent")}</p>
          ) : (
            <MessageTable
              testId="case-sent"
              caption={t("caseMessages.sent")}
              peerHeading={t("exchange.col.to")}
              rows={data.sent.map((m) => ({
                id: m.id,
                at: m.createdAt,
                peer: m.recipient,
                type: m.type,
                body: m.body,
                tlp: m.tlp,
                handling: m.handling,
                href: null,
                state: <DeliveryBadge status={m.status} />,
              }))}
            />
          )}
        </>
      )}
      {exchange && (
        <p>
          <Link
            className="button button-secondary"
            to={`/exchange/compose?case=${encodeURIComponent(caseId)}`}
          >
            {t("caseMessages.compose")}
          </Link>
        </p>
      )}
    </section>
  );
}

interface Row {
  id: string;
  at: string;
  peer: string;
  type: string;
  body: unknown;
  tlp: string;
  handling: string[];
  href: string | null;
  state: React.ReactNode;
}

function MessageTable({
  rows,
  caption,
  peerHeading,
  testId,
}: {
  rows: Row[];
  caption: string;
  peerHeading: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div className="table-scroll">
      <table className="data-table wrap-head message-table" data-testid={testId}>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t("caseMessages.when")}</th>
            <th scope="col">{peerHeading}</th>
            <th scope="col">{t("exchange.col.message")}</th>
            <th scope="col">{t("exchange.col.marking")}</th>
            <th scope="col">{t("caseMessages.state")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.id} data-id={m.id}>
              <td className="nowrap">
                <time dateTime={m.at}>{format.dateTime(m.at)}</time>
              </td>
              <td>
                <span className="peer-id">{m.peer}</span>
              </td>
              <td className="message-cell">
                <strong className="block">
                  {m.href ? (
                    <Link to={m.href}>{messageTypeLabel(t, m.type)}</Link>
                  ) : (
                    messageTypeLabel(t, m.type)
                  )}
                </strong>
                <span className="block clamp" dir="auto">
                  {summaryOf(m.body)}
                </span>
              </td>
              <td className="marking-cell">
                <Marking tlp={m.tlp} handling={m.handling} />
              </td>
              <td>{m.state}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
