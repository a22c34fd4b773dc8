/**
 * One received message, whole, read through its own audited route: who sent it
 * and when, its marking spelled out (TLP and, as notices, what each handling code
 * asks of this node), its content, the local cases it is linked to (link one of
 * one's cases, or open a case from an abducted-person notice), the other messages
 * of its thread (received and sent), a reply — an info-reply in the same thread,
 * to the sender only — and passing it on where its marking allows.
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type CaseView,
  forFields,
  type InboxMessage,
  type InboxMessageDetail,
  type OutboxMessage,
  run,
  type SendMessageBody,
  type Tlp,
} from "../../../api.ts";
import { isTlp, Marking, messageTypeLabel, partnerLabel } from "../../../components/Federation.tsx";
import {
  CheckboxGroup,
  localProblem,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextAreaField,
  TextField,
} from "../../../components/form/index.ts";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { ALL_HANDLING, ALL_TLP, isUrgent } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { useSignedIn } from "../../../session.tsx";
import { userNames } from "../compose/draft.ts";
import { DeliveryBadge } from "../ExchangePage.tsx";
import { useExchangeLive } from "../live.tsx";
import { MessageBody, str, summaryOf } from "../MessageBody.tsx";
import { UnreachablePartners, usePartners } from "../partners.tsx";

type ThreadItem = { dir: "in"; at: string; m: InboxMessage } | { dir: "out"; at: string; m: OutboxMessage };

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

/** Reference or title, compared without case or accents ("lucia" finds "Lucía"). */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/**
 * The local cases this message is linked to (those the reader is on the team of),
 * linking it to another of the reader's cases, and opening a case from it.
 */
function LinkedCases({
  message,
  canOpen,
  onLinked,
}: {
  message: InboxMessageDetail;
  canOpen: boolean;
  onLinked: (m: InboxMessageDetail) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  const [cases, setCases] = useState<CaseView[] | null>(null);
  const [casesProblem, setCasesProblem] = useState<ApiProblem | null>(null);
  const [query, setQuery] = useState("");
  const [caseId, setCaseId] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [picking, setPicking] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);

  // The reader's own cases (those whose team they are on), newest first: read (an audited
  // listing) only when the officer sets out to link the message, not on every reading of it.
  const wanted = picking && cases === null;
  useEffect(() => {
    if (!wanted) return;
    let cancelled = false;
    void (async () => {
      const r = await run(api.GET("/api/cases", { params: { query: { limit: 500 } } }));
      if (cancelled) return;
      if (r.ok) setCases(r.data.cases);
      else setCasesProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [wanted]);
  useEffect(() => {
    if (picking) searchRef.current?.focus();
  }, [picking]);

  const linked = new Set(message.links.map((l) => l.caseId));
  const q = folded(query.trim());
  const candidates = (cases ?? []).filter(
    (c) => !linked.has(c.id) && (!q || folded(c.reference).includes(q) || folded(c.title).includes(q)),
  );
  // A choice hidden by the search is no choice.
  const chosen = candidates.some((c) => c.id === caseId) ? caseId : "";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    if (!chosen) {
      setProblem(localProblem({ caseId: t("fieldErrors.chooseCase") }));
      return;
    }
    setBusy(true);
    const r = await run(
      api.POST("/api/federation/inbox/{id}/links", {
        params: { path: { id: message.id } },
        body: { caseId: chosen },
      }),
    );
    setBusy(false);
    if (!r.ok) {
      // A case that is not one of the reader's does not exist for them: said at the field.
      setProblem(
        r.problem.code === "not_found"
          ? { ...r.problem, fields: { caseId: t("fieldErrors.notYourCase") } }
          : forFields(r.problem, ["caseId"]),
      );
      return;
    }
    const kase = cases?.find((c) => c.id === chosen);
    onLinked(r.data);
    setCaseId("");
    setQuery("");
    setPicking(false);
    setDone(t("exchange.links.linked", { reference: kase?.reference ?? "" }));
  };
  const cancel = () => {
    setPicking(false);
    setProblem(null);
    setCaseId("");
    setQuery("");
  };

  return (
    <section className="section panel linked-cases" aria-labelledby="links-title" data-testid="message-links">
      <h2 id="links-title">{t("exchange.links.title")}</h2>
      <p className="muted">{t("exchange.links.intro")}</p>
      {message.links.length > 0 ? (
        <ul className="record-cards" data-testid="message-links-list">
          {message.links.map((l) => (
            <li
              key={l.caseId}
              className="record-card linked-case"
              data-testid="message-link"
              data-case-id={l.caseId}
              data-reference={l.reference}
            >
              <div className="record-card-head">
                <Link to={`/cases/${encodeURIComponent(l.caseId)}`} className="linked-case-link">
                  <span dir="ltr" className="linked-case-ref">
                    {l.reference}
                  </span>
                  {" — "}
                  <bdi>{l.title}</bdi>
                </Link>
                {l.openedFromMessage && (
                  <span className="badge badge-info">{t("exchange.links.openedFrom")}</span>
                )}
                <span className="muted small">
                  {t("exchange.links.linkedAt", { time: format.dateTime(l.linkedAt) })}
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <p className="empty-note" data-testid="message-links-none">
          {t("exchange.links.none")}
        </p>
      )}

      <StatusMessage message={done} />
      {!picking && (
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            setDone(null);
            setPicking(true);
          }}
          data-testid="link-case-start"
        >
          {t("exchange.links.linkTitle")}
        </button>
      )}
      {picking && (
        <div className="link-picker" data-testid="link-case-picker">
          <h3 className="message-subhead">{t("exchange.links.linkTitle")}</h3>
          <ProblemAlert problem={problem ?? casesProblem} />
          <form onSubmit={(e) => void submit(e)} noValidate className="form-grid link-form">
            <TextField
              type="search"
              label={t("exchange.links.find")}
              hint={t("exchange.links.findHint")}
              value={query}
              onChange={setQuery}
              autoComplete="off"
              spellCheck={false}
              inputRef={searchRef}
              testId="link-case-search"
            />
            <SelectField
              label={t("exchange.links.case")}
              hint={
                cases === null
                  ? t("common.loading")
                  : candidates.length === 0
                    ? t("exchange.links.noMatch")
                    : undefined
              }
              value={chosen}
              onChange={setCaseId}
              options={[
                { value: "", label: t("exchange.links.choose") },
                ...candidates.map((c) => ({ value: c.id, label: `${c.reference} — ${c.title}` })),
              ]}
              error={problem?.fields.caseId}
              testId="link-case-select"
            />
            <div className="form-grid-wide">
              <button
                type="submit"
                className="button button-primary"
                disabled={busy}
                data-testid="link-case-submit"
              >
                {busy ? t("exchange.links.linking") : t("exchange.links.submit")}
              </button>{" "}
              <button
                type="button"
                className="button button-secondary"
                onClick={cancel}
                data-testid="link-case-cancel"
              >
                {t("common.cancel")}
              </button>
            </div>
          </form>
        </div>
      )}

      {canOpen && (
        <div className="open-case" data-testid="message-open-case-panel">
          <h3 className="message-subhead">{t("exchange.links.openTitle")}</h3>
          <p className="muted">{t("exchange.links.openIntro", { sender: message.sender })}</p>
          <Link
            to={`/cases/new?fromMessage=${encodeURIComponent(message.id)}`}
            className="button button-primary"
            data-testid="message-open-case"
          >
            {t("exchange.links.open")}
          </Link>
        </div>
      )}
    </section>
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
  // The reply keeps the request's marking, H3's restrictions included (editable).
  const [restrictions, setRestrictions] = useState(message.restrictions ?? "");
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
    if (handling.includes("H3") && restrictions.trim()) body.restrictions = restrictions.trim();
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
          "restrictions",
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
        {handling.includes("H3") && (
          <TextAreaField
            fieldClassName="form-grid-wide"
            label={t("exchange.compose.restrictions")}
            hint={t("exchange.compose.restrictionsHint")}
            value={restrictions}
            onChange={setRestrictions}
            rows={3}
            maxLength={2000}
            dir="auto"
            error={problem?.fields.restrictions}
            testId="reply-restrictions"
          />
        )}
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

/** Passing a received message on to third nodes: only what its marking allows, only to active partners. */
function Forward({ message }: { message: InboxMessage }) {
  const { t } = useTranslation();
  const { partners, problem: partnersProblem } = usePartners();
  const [chosen, setChosen] = useState<string[]>([]);
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
  const others = (partners ?? []).filter((p) => p.nodeId !== message.sender);
  const active = others.filter((p) => p.status === "active");
  const unreachable = others.filter((p) => p.status !== "active");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const to = [...new Set(chosen)];
    if (to.length === 0) {
      setProblem(localProblem({ to: t("fieldErrors.chooseRecipient") }));
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
      <ProblemAlert problem={problem ?? partnersProblem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        {partners === null ? (
          !partnersProblem && <p className="muted">{t("common.loading")}</p>
        ) : active.length > 0 ? (
          <CheckboxGroup
            legend={t("exchange.compose.knownPeers")}
            hint={t("exchange.compose.partnersHint")}
            options={active.map((p) => ({ value: p.nodeId, label: partnerLabel(p) }))}
            selected={chosen}
            onChange={setChosen}
            error={problem?.fields.to}
            testIdPrefix="forward-to-"
          />
        ) : (
          <p className="field-hint" data-testid="forward-no-partners">
            {t("exchange.forward.noOtherPartners")}
          </p>
        )}
        {unreachable.length > 0 && <UnreachablePartners partners={unreachable} />}
        {active.length > 0 && (
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
        )}
      </form>
    </section>
  );
}
