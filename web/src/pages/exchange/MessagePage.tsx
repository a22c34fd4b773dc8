/**
 * One received message, whole: who sent it and when, its marking spelled out
 * (TLP and what each handling code asks of this node), its content, the other
 * messages of its thread (received and sent), and a reply — an info-reply in
 * the same thread, to the sender only.
 */
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  forFields,
  type InboxMessage,
  type OutboxMessage,
  run,
  type SendMessageBody,
  type Tlp,
} from "../../api.ts";
import { isTlp, Marking, messageTypeLabel } from "../../components/Federation.tsx";
import {
  CheckboxGroup,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextAreaField,
  TextField,
} from "../../components/Form.tsx";
import { PageTitle } from "../../components/PageTitle.tsx";
import { ALL_HANDLING, ALL_TLP, isUrgent } from "../../constants.ts";
import { useFormat } from "../../format.ts";
import { codeList } from "../case/common.tsx";
import { userNames } from "./Compose.tsx";
import { DeliveryBadge } from "./ExchangePage.tsx";
import { useExchangeLive } from "./live.tsx";
import { MessageBody, str, summaryOf } from "./MessageBody.tsx";

type ThreadItem = { dir: "in"; at: string; m: InboxMessage } | { dir: "out"; at: string; m: OutboxMessage };

export function MessagePage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const live = useExchangeLive();
  const format = useFormat();
  const [inbox, setInbox] = useState<InboxMessage[] | null>(null);
  const [outbox, setOutbox] = useState<OutboxMessage[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [tick, setTick] = useState(0);
  const seen = live?.seen;

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
      else setProblem(i.problem);
      if (o.ok) setOutbox(o.data.messages);
    })();
    return () => {
      cancelled = true;
    };
  }, [id, tick]);

  useEffect(() => {
    seen?.(id);
  }, [id, seen]);

  if (problem) {
    return (
      <>
        <PageTitle>{t("exchange.message.title")}</PageTitle>
        <ProblemAlert problem={problem} />
      </>
    );
  }
  if (inbox === null) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  const message = inbox.find((m) => m.id === id);
  if (!message) {
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
  const thread: ThreadItem[] = [
    ...inbox
      .filter((m) => m.thread === message.thread && m.id !== message.id)
      .map((m) => ({ dir: "in" as const, at: m.sentAt, m })),
    ...outbox
      .filter((m) => m.thread === message.thread)
      .map((m) => ({ dir: "out" as const, at: m.createdAt, m })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const inReplyTo =
    message.type === "info-reply" ? str((message.body as { inReplyTo?: unknown })?.inReplyTo) : "";
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
      <section className="section panel" aria-labelledby="message-content-title">
        <h2 id="message-content-title">{t("exchange.message.content")}</h2>
        <MessageBody
          type={message.type}
          body={message.body}
          inReplyToHref={inReplyToHref}
          inReplyToText={inReplyToText}
        />
      </section>
      {thread.length > 0 && <Thread items={thread} />}
      {message.type !== "info-reply" && <Reply message={message} onSent={() => setTick((n) => n + 1)} />}
      <Forward
        message={message}
        known={[...new Set([...inbox.map((m) => m.sender), ...outbox.map((m) => m.recipient)])]
          .filter((n) => n !== message.sender)
          .sort()}
      />
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
        <dt>{t("exchange.message.marking")}</dt>
        <dd>
          <Marking tlp={message.tlp} handling={message.handling} full testId="message-marking" />
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

function Thread({ items }: { items: ThreadItem[] }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="section" aria-labelledby="thread-title">
      <h2 id="thread-title">{t("exchange.message.thread")}</h2>
      <ol className="record-cards thread" data-testid="message-thread">
        {items.map((item) => (
          <li
            key={`${item.dir}-${item.m.id}`}
            className={`record-card thread-${item.dir}`}
            data-testid="thread-item"
            data-dir={item.dir}
            data-type={item.m.type}
          >
            <div className="record-card-head">
              <strong>{messageTypeLabel(t, item.m.type)}</strong>
              <span>
                {item.dir === "in"
                  ? t("exchange.message.threadFrom", { node: item.m.sender })
                  : t("exchange.message.threadTo", { node: item.m.recipient })}
              </span>
              <time dateTime={item.at} className="muted small">
                {format.dateTime(item.at)}
              </time>
              {item.dir === "out" && <DeliveryBadge status={item.m.status} />}
              {item.dir === "in" && (
                <Link to={`/exchange/messages/${encodeURIComponent(item.m.id)}`}>
                  {t("exchange.message.open")}
                </Link>
              )}
            </div>
            <p className="entry-summary" dir="auto">
              {summaryOf(item.m.body)}
            </p>
          </li>
        ))}
      </ol>
    </section>
  );
}

function Reply({ message, onSent }: { message: InboxMessage; onSent: () => void }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState("");
  const [names, setNames] = useState("");
  const [tlp, setTlp] = useState<Tlp>(isTlp(message.tlp) ? message.tlp : "amber");
  const [handling, setHandling] = useState<(typeof ALL_HANDLING)[number][]>(
    ALL_HANDLING.filter((h) => message.handling.includes(h)),
  );
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const body: SendMessageBody = {
      to: [message.sender],
      type: "info-reply",
      version: 1,
      thread: message.thread,
      body: { inReplyTo: message.id, answer: answer.trim() },
      tlp,
      handling: handling.length ? handling : ["H0"],
    };
    const named = userNames(names);
    if (tlp === "red" && named.length > 0) body.namedRecipients = named;
    setBusy(true);
    const r = await run(api.POST("/api/federation/messages", { body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(
        forFields(r.problem, [
          "to",
          "tlp",
          "handling",
          "namedRecipients",
          "thread",
          "body.answer",
          "body.inReplyTo",
        ]),
      );
      return;
    }
    setAnswer("");
    setDone(t("exchange.reply.sent", { node: message.sender }));
    onSent();
  };
  return (
    <section className="section panel reply" aria-labelledby="reply-title" data-testid="reply">
      <h2 id="reply-title">{t("exchange.reply.title")}</h2>
      <p className="muted">{t("exchange.reply.intro", { node: message.sender })}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        <TextAreaField
          fieldClassName="form-grid-wide"
          label={t("exchange.body.answer")}
          value={answer}
          onChange={setAnswer}
          rows={5}
          dir="auto"
          error={problem?.fields["body.answer"]}
          testId="reply-answer"
        />
        <SelectField
          label={t("case.tlp")}
          hint={t("exchange.reply.markingHint")}
          value={tlp}
          onChange={(v) => setTlp(ALL_TLP.find((x) => x === v) ?? "amber")}
          options={ALL_TLP.map((l) => ({ value: l, label: `TLP:${l.toUpperCase()}` }))}
          error={problem?.fields.tlp}
          testId="reply-tlp"
        />
        {tlp === "red" && (
          <TextField
            label={t("exchange.compose.namedRecipients")}
            hint={t("exchange.reply.namedRecipientsHint", { node: message.sender })}
            value={names}
            onChange={setNames}
            autoComplete="off"
            spellCheck={false}
            dir="ltr"
            error={problem?.fields.namedRecipients}
            testId="reply-named-recipients"
          />
        )}
        <CheckboxGroup
          legend={t("newCase.handlingCodes")}
          options={ALL_HANDLING.map((h) => ({ value: h, label: `${h} — ${t(`handlingCode.${h}.short`)}` }))}
          selected={handling}
          onChange={setHandling}
          error={problem?.fields.handling}
          testIdPrefix="reply-handling-"
        />
        <div className="form-grid-wide">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="reply-submit">
            {busy ? t("exchange.compose.sending") : t("exchange.reply.submit", { node: message.sender })}
          </button>
        </div>
      </form>
    </section>
  );
}

/** Why a message may not be passed on, by the rule the node applies (TLP 2.0 and the handling codes). */
function forwardBlock(m: InboxMessage): string {
  if (m.handling.includes("H2")) return "noH2";
  if (m.handling.includes("H3")) return "noH3";
  if (m.tlp === "red") return "noRed";
  if (m.tlp === "amber" || m.tlp === "amber+strict") return "noAmber";
  return "noOther";
}

/** Passing a received message on to third nodes: only what its marking allows. */
function Forward({ message, known }: { message: InboxMessage; known: string[] }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<string[]>([]);
  const [other, setOther] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!message.forwardable) {
    return (
      <section className="section forward" aria-labelledby="forward-title" data-testid="forward">
        <h2 id="forward-title">{t("exchange.forward.title")}</h2>
        <p className="forward-blocked" data-testid="forward-blocked">
          {t(`exchange.forward.${forwardBlock(message)}`)}
        </p>
      </section>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const to = [...new Set([...chosen, ...codeList(other)])];
    if (to.length === 0) {
      setProblem({
        code: "validation_failed",
        message: "",
        fields: { to: t("fieldErrors.chooseRecipient") },
        otherFields: [],
        status: 0,
      });
      return;
    }
    setBusy(true);
    const r = await run(
      api.POST("/api/federation/inbox/{id}/forward", { params: { path: { id: message.id } }, body: { to } }),
    );
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["to"]));
      return;
    }
    setChosen([]);
    setOther("");
    setDone(
      t("exchange.forward.sent", {
        nodes: r.data.messages.map((m) => m.recipient).join(t("common.listSeparator")),
      }),
    );
  };
  return (
    <section className="section panel forward" aria-labelledby="forward-title" data-testid="forward">
      <h2 id="forward-title">{t("exchange.forward.title")}</h2>
      <p className="muted">{t("exchange.forward.intro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        {known.length > 0 && (
          <CheckboxGroup
            legend={t("exchange.compose.knownPeers")}
            options={known.map((n) => ({ value: n, label: n }))}
            selected={chosen}
            onChange={setChosen}
            testIdPrefix="forward-to-"
          />
        )}
        <TextField
          label={t("exchange.compose.otherPeers")}
          hint={t("exchange.compose.otherPeersHint")}
          value={other}
          onChange={(v) => setOther(v.toUpperCase())}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          error={problem?.fields.to}
          testId="forward-to-other"
        />
        <div>
          <button
            type="submit"
            className="button button-secondary"
            disabled={busy}
            data-testid="forward-submit"
          >
            {busy ? t("exchange.compose.sending") : t("exchange.forward.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}
