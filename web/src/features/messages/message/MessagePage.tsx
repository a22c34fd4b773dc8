/**
 * One received message, whole, read through its own audited route: who sent it
 * and when, its marking spelled out (TLP and, as notices, what each handling code
 * asks of this node), its content, the local cases it is linked to (link one of
 * one's cases, or open a case from an abducted-person notice), the other messages
 * of its thread (received and sent), a reply — an info-reply in the same thread,
 * to the sender only — and passing it on where its marking allows.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type InboxMessage,
  type InboxMessageDetail,
  type OutboxMessage,
  run,
} from "../../../api.ts";
import { Marking, messageTypeLabel } from "../../../components/Federation.tsx";
import { ProblemAlert } from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { isUrgent } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";
import { useExchangeLive } from "../live.tsx";
import { MessageBody } from "../MessageBody.tsx";
import { Forward } from "./Forward.tsx";
import { LinkedCases } from "./LinkedCases.tsx";
import { Reply } from "./Reply.tsx";
import { Thread, type ThreadItem } from "./Thread.tsx";

/** The message types a local case can be opened from: a notice about a victim describes an incident. */
export const CASE_FROM_TYPES: ReadonlySet<string> = new Set(["notice.abducted-person"]);

export function MessagePage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const session = useSignedIn();
  const live = useExchangeLive();
  const format = useFormat();
  const [message, setMessage] = useState<InboxMessageDetail | null>(null);
  const [inbox, setInbox] = useState<InboxMessage[]>([]);
  const [outbox, setOutbox] = useState<OutboxMessage[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [tick, setTick] = useState(0);
  const seen = live?.seen;

  // The message itself, through its own (audited) route: with the cases it is linked to.
  useEffect(() => {
    let cancelled = false;
    setMessage(null);
    setProblem(null);
    void (async () => {
      const r = await run(api.GET("/api/federation/inbox/{id}", { params: { path: { id } } }));
      if (cancelled) return;
      if (r.ok) setMessage(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [id]);

  // The rest of its thread, received and sent; read again after a reply.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `tick` reads the thread again after a reply
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const [i, o] = await Promise.all([
        run(api.GET("/api/federation/inbox", { params: { query: { limit: 500 } } })),
        run(api.GET("/api/federation/outbox", { params: { query: { limit: 500 } } })),
      ]);
      if (cancelled) return;
      if (i.ok) setInbox(i.data.messages);
      if (o.ok) setOutbox(o.data.messages);
    })();
    return () => {
      cancelled = true;
    };
  }, [id, tick]);

  useEffect(() => {
    seen?.(id);
  }, [id, seen]);

  // An address that names no message (not a message id, or none this reader may see) is not found.
  if (
    problem &&
    (problem.code === "not_found" || problem.otherFields.some((f) => f.path.startsWith("params.")))
  ) {
    return (
      <>
        <PageTitle>{t("exchange.message.notFoundTitle")}</PageTitle>
        <p>{t("exchange.message.notFound")}</p>
        <p>
          <Link to="/exchange">{t("exchange.message.backToInbox")}</Link>
        </p>
      </>
    );
  }
  if (problem) {
    return (
      <>
        <PageTitle>{t("exchange.message.title")}</PageTitle>
        <ProblemAlert problem={problem} />
      </>
    );
  }
  if (message === null) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  const thread: ThreadItem[] = [
    ...inbox
      .filter((m) => m.thread === message.thread && m.id !== message.id)
      .map((m) => ({ dir: "in" as const, at: m.sentAt, m })),
    ...outbox
      .filter((m) => m.thread === message.thread)
      .map((m) => ({ dir: "out" as const, at: m.createdAt, m })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const inReplyTo = message.type === "info-reply" ? message.body.inReplyTo : "";
  const inReplyToHref =
    inReplyTo && inbox.some((m) => m.id === inReplyTo) ? `/exchange/messages/${inReplyTo}` : null;
  const answered = outbox.find((m) => m.id === inReplyTo);
  const inReplyToText = answered
    ? t("exchange.body.inReplyToSent", {
        type: messageTypeLabel(t, answered.type),
        time: format.dateTime(answered.createdAt),
      })
    : null;

  return (
    <article
      className="message-page"
      data-testid="message-page"
      data-id={message.id}
      data-type={message.type}
    >
      <p className="breadcrumb">
        <Link to="/exchange">{t("exchange.message.backToInbox")}</Link>
      </p>
      <div className="case-eyebrow">
        <span>{t("exchange.message.fromNode", { sender: message.sender })}</span>
        {isUrgent(message.type, message.body) && (
          <span className="badge badge-alarm">{t("exchange.urgent")}</span>
        )}
      </div>
      <PageTitle>{messageTypeLabel(t, message.type)}</PageTitle>
      <MessageMeta message={message} />
      <section className="section panel message-marking" aria-labelledby="message-marking-title">
        <h2 id="message-marking-title">{t("exchange.message.marking")}</h2>
        <Marking
          tlp={message.tlp}
          handling={message.handling}
          full
          sender={message.sender}
          restrictions={message.restrictions}
          testId="message-marking"
        />
      </section>
      <section className="section panel" aria-labelledby="message-content-title">
        <h2 id="message-content-title">{t("exchange.message.content")}</h2>
        <MessageBody
          type={message.type}
          body={message.body}
          inReplyToHref={inReplyToHref}
          inReplyToText={inReplyToText}
        />
      </section>
      {session.can("cases.work") && (
        <LinkedCases
          message={message}
          canOpen={session.can("cases.create") && CASE_FROM_TYPES.has(message.type)}
          onLinked={setMessage}
        />
      )}
      {thread.length > 0 && <Thread items={thread} />}
      {message.type !== "info-reply" && <Reply message={message} onSent={() => setTick((n) => n + 1)} />}
      <Forward message={message} />
    </article>
  );
}

function MessageMeta({ message }: { message: InboxMessage }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="section message-meta" aria-labelledby="message-meta-title">
      <h2 id="message-meta-title" className="visually-hidden">
        {t("exchange.message.about")}
      </h2>
      <dl className="details">
        <dt>{t("exchange.col.from")}</dt>
        <dd>
          <span className="peer-id" data-testid="message-sender">
            {message.sender}
          </span>
        </dd>
        <dt>{t("exchange.message.sentAt")}</dt>
        <dd>
          <time dateTime={message.sentAt}>{format.dateTime(message.sentAt)}</time>
        </dd>
        <dt>{t("exchange.col.received")}</dt>
        <dd>
          <time dateTime={message.receivedAt}>{format.dateTime(message.receivedAt)}</time>
        </dd>
        {message.namedRecipients.length > 0 && (
          <>
            <dt>{t("exchange.message.namedRecipients")}</dt>
            <dd>
              <ul className="tags" dir="ltr" data-testid="message-named-recipients">
                {message.namedRecipients.map((n) => (
                  <li key={n} className="tag">
                    {n}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
        <dt>{t("exchange.message.reference")}</dt>
        <dd>
          <code dir="ltr" className="wrap small">
            {message.id}
          </code>
        </dd>
      </dl>
    </section>
  );
}
