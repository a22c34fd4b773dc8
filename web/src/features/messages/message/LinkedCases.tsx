/**
 * The local cases a received message is linked to (those the reader is on the team
 * of), linking it to another of the reader's cases, and opening a case from it.
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import {
  type ApiProblem,
  api,
  type CaseView,
  forFields,
  type InboxMessageDetail,
  run,
} from "../../../api.ts";
import {
  localProblem,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
} from "../../../components/form/index.ts";
import { useFormat } from "../../../format.ts";

/** Reference or title, compared without case or accents ("lucia" finds "Lucía"). */
function folded(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLocaleLowerCase();
}

/**
 * The local cases this message is linked to (those the reader is on the team of),
 * linking it to another of the reader's cases, and opening a case from it.
 */
export function LinkedCases({
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
