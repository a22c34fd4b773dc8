/**
 * A message's content, readable: the person sketched in a notice, the indicators
 * of a modus operandi, the banknote ranges, accounts, wallets and phones of a
 * ransom watch, a request's question or a reply's answer. The body is read
 * defensively (it came from another node); a type this interface does not know
 * is shown as its JSON.
 */
import type { TFunction } from "i18next";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useFormat } from "../../format.ts";

type Obj = Record<string, unknown>;

export const str = (value: unknown): string => (typeof value === "string" ? value : "");
const obj = (value: unknown): Obj =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Obj) : {};
const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The one line a list shows for a message: its summary, question or answer (hit/no-hit: a generic line, given `t`). */
export function summaryOf(body: unknown, type?: string, t?: TFunction): string {
  const b = obj(body);
  if (type && t && type.startsWith("hit-")) return hitSummary(t, type, b);
  return str(b.summary) || str(b.question) || str(b.answer);
}

/** What a hit/no-hit message is, in one line: it carries no names or values, only pseudonyms, encodings and references. */
export function hitSummary(t: TFunction, type: string, b: Obj): string {
  switch (type) {
    case "hit-query":
      return t("exchange.body.hitQuery", {
        selectors: arr(b.selectors).length,
        persons: arr(b.persons).length,
      });
    case "hit-reply": {
      if (str(b.outcome) === "refused") return t("exchange.body.hitReplyRefused");
      const hits = arr(b.results).reduce<number>((n, r) => n + arr(obj(r).hits).length, 0);
      return t("exchange.body.hitReply", { hits });
    }
    case "hit-disclosure":
      return str(b.decision) === "approved"
        ? t("exchange.body.hitDisclosureApproved")
        : t("exchange.body.hitDisclosureRefused");
    default:
      return "";
  }
}

/** The person a notice is about, as one line of names ("Lucía Ejemplo / لوسيا"). */
export function personLine(body: unknown): string {
  const b = obj(body);
  const person = obj(b.victim ?? b.person);
  return arr(person.names)
    .map((n) => [str(obj(n).given), str(obj(n).family)].filter(Boolean).join(" "))
    .filter(Boolean)
    .join(" / ");
}

function Text({ children, testId }: { children: string; testId?: string }) {
  return (
    <p className="message-text" dir="auto" data-testid={testId}>
      {children}
    </p>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function typologyLabel(t: TFunction, typology: string): string {
  return t(`caseType.${typology}`, { defaultValue: typology });
}

export function MessageBody({
  type,
  body,
  inReplyToHref,
  inReplyToText,
}: {
  type: string;
  body: unknown;
  /** Where the message an info-reply answers can be read, when this node received it. */
  inReplyToHref?: string | null;
  /** What the message an info-reply answers was, when this node sent it. */
  inReplyToText?: string | null;
}) {
  const { t } = useTranslation();
  const b = obj(body);
  switch (type) {
    case "notice.abducted-person": {
      const lastSeen = obj(b.lastSeen);
      return (
        <div className="message-body" data-testid="message-body">
          <Text testId="message-summary">{str(b.summary)}</Text>
          <dl className="details message-details">
            <Field label={t("exchange.body.request")}>
              {t(`exchange.request.${str(b.request)}`, { defaultValue: str(b.request) })}
            </Field>
            {str(b.caseReference) && (
              <Field label={t("exchange.body.caseReference")}>
                <code dir="ltr">{str(b.caseReference)}</code>
              </Field>
            )}
            {str(lastSeen.place) && (
              <Field label={t("exchange.body.lastSeen")}>
                <LastSeen place={str(lastSeen.place)} at={str(lastSeen.at)} />
              </Field>
            )}
          </dl>
          <PersonSketch title={t("exchange.body.victim")} person={b.victim} />
          {str(b.circumstances) && (
            <>
              <h3 className="message-subhead">{t("exchange.body.circumstances")}</h3>
              <Text>{str(b.circumstances)}</Text>
            </>
          )}
        </div>
      );
    }
    case "notice.wanted-person":
      return (
        <div className="message-body" data-testid="message-body">
          <Text testId="message-summary">{str(b.summary)}</Text>
          <dl className="details message-details">
            <Field label={t("exchange.body.request")}>
              {t(`exchange.request.${str(b.request)}`, { defaultValue: str(b.request) })}
            </Field>
            {str(b.caseReference) && (
              <Field label={t("exchange.body.caseReference")}>
                <code dir="ltr">{str(b.caseReference)}</code>
              </Field>
            )}
          </dl>
          <PersonSketch title={t("exchange.body.wanted")} person={b.person} />
        </div>
      );
    case "notice.modus-operandi": {
      const indicators = arr(b.indicators).map(str).filter(Boolean);
      return (
        <div className="message-body" data-testid="message-body">
          <Text testId="message-summary">{str(b.summary)}</Text>
          {str(b.typology) && (
            <dl className="details message-details">
              <Field label={t("exchange.body.typology")}>{typologyLabel(t, str(b.typology))}</Field>
            </dl>
          )}
          <h3 className="message-subhead">{t("exchange.body.indicators")}</h3>
          {indicators.length ? (
            <ul className="indicator-list" data-testid="message-indicators">
              {indicators.map((x, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a received list never changes
                <li key={i} dir="auto">
                  {x}
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty-note">{t("exchange.body.noneGiven")}</p>
          )}
        </div>
      );
    }
    case "notice.ransom-watch":
      return <RansomWatch body={b} />;
    case "info-request":
      return (
        <div className="message-body" data-testid="message-body">
          <dl className="details message-details">
            <Field label={t("exchange.body.urgency")}>
              <UrgencyBadge urgency={str(b.urgency) || "routine"} />
            </Field>
            {str(b.caseReference) && (
              <Field label={t("exchange.body.caseReference")}>
                <code dir="ltr">{str(b.caseReference)}</code>
              </Field>
            )}
          </dl>
          <h3 className="message-subhead">{t("exchange.body.question")}</h3>
          <Text testId="message-summary">{str(b.question)}</Text>
        </div>
      );
    case "info-reply":
      return (
        <div className="message-body" data-testid="message-body">
          <p className="muted small">
            {inReplyToHref ? (
              <Link to={inReplyToHref}>{t("exchange.body.inReplyToLink")}</Link>
            ) : (
              (inReplyToText ?? t("exchange.body.inReplyTo", { id: str(b.inReplyTo).slice(0, 8) }))
            )}
          </p>
          <h3 className="message-subhead">{t("exchange.body.answer")}</h3>
          <Text testId="message-summary">{str(b.answer)}</Text>
        </div>
      );
    case "hit-query":
    case "hit-reply":
    case "hit-disclosure":
      return (
        <div className="message-body" data-testid="message-body">
          <Text testId="message-summary">{hitSummary(t, type, b)}</Text>
          <dl className="details message-details">
            {str(b.caseReference) && (
              <Field label={t("exchange.body.caseReference")}>
                <code dir="ltr">{str(b.caseReference)}</code>
              </Field>
            )}
            {str(b.purpose) && (
              <Field label={t("hits.purpose")}>
                <span dir="auto">{str(b.purpose)}</span>
              </Field>
            )}
            {str(b.legalBasis) && (
              <Field label={t("hits.legalBasis")}>
                <span dir="auto">{str(b.legalBasis)}</span>
              </Field>
            )}
            {str(b.reason) && (
              <Field label={t("followups.refusalReason")}>
                <span dir="auto">{str(b.reason)}</span>
              </Field>
            )}
          </dl>
          {str(b.information) && (
            <>
              <h3 className="message-subhead">{t("followups.disclosedInformation")}</h3>
              <Text>{str(b.information)}</Text>
            </>
          )}
          <p className="muted small">{t("exchange.body.hitNote")}</p>
        </div>
      );
    default:
      return (
        <div className="message-body" data-testid="message-body">
          <p className="muted">{t("exchange.body.unknownType")}</p>
          <pre className="details-json" dir="ltr">
            {JSON.stringify(body, null, 2)}
          </pre>
        </div>
      );
  }
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const { t } = useTranslation();
  const cls = urgency === "immediate" ? "badge-alarm" : urgency === "urgent" ? "badge-warn" : "badge-off";
  return (
    <span className={`badge ${cls}`} data-urgency={urgency}>
      {t(`urgency.${urgency}`, { defaultValue: urgency })}
    </span>
  );
}

function LastSeen({ place, at }: { place: string; at: string }) {
  const format = useFormat();
  return (
    <>
      <bdi>{place}</bdi>
      {at && (
        <>
          {" · "}
          <time dateTime={at}>{format.dateTime(at)}</time>
        </>
      )}
    </>
  );
}

function PersonSketch({ title, person }: { title: string; person: unknown }) {
  const { t } = useTranslation();
  const format = useFormat();
  const p = obj(person);
  const names = arr(p.names).map(obj);
  const age = obj(p.ageRange);
  const nationalities = arr(p.nationalities).map(str).filter(Boolean);
  const hasAge = typeof age.min === "number" && typeof age.max === "number";
  return (
    <section className="person-sketch" data-testid="message-person">
      <h3 className="message-subhead">{title}</h3>
      <dl className="details">
        <dt>{t("persons.names")}</dt>
        <dd>
          <ul className="plain-list">
            {names.map((n, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a received list never changes
              <li key={i}>
                <bdi className="person-name">{[str(n.given), str(n.family)].filter(Boolean).join(" ")}</bdi>
                {str(n.script) && (
                  <span className="muted small">
                    {" "}
                    ({t(`script.${str(n.script)}`, { defaultValue: str(n.script) })})
                  </span>
                )}
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t("persons.born")}</dt>
        <dd>
          {str(p.dateOfBirth)
            ? format.date(str(p.dateOfBirth))
            : hasAge
              ? t("persons.ageRangeValue", { min: age.min, max: age.max })
              : t("common.unknown")}
        </dd>
        <dt>{t("persons.sex")}</dt>
        <dd>{t(`sex.${str(p.sex) || "unknown"}`, { defaultValue: str(p.sex) })}</dd>
        <dt>{t("persons.nationalities")}</dt>
        <dd>{nationalities.length ? <span dir="ltr">{nationalities.join(" ")}</span> : "—"}</dd>
        {str(p.description) && (
          <>
            <dt>{t("exchange.body.description")}</dt>
            <dd className="pre-wrap" dir="auto">
              {str(p.description)}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

function RansomWatch({ body }: { body: Obj }) {
  const { t } = useTranslation();
  const banknotes = arr(body.banknotes).map(obj);
  const accounts = arr(body.accounts).map(str).filter(Boolean);
  const wallets = arr(body.wallets).map(obj);
  const phones = arr(body.phones).map(str).filter(Boolean);
  return (
    <div className="message-body" data-testid="message-body">
      <Text testId="message-summary">{str(body.summary)}</Text>
      <div className="watch-grid">
        <section className="watch-block" data-testid="message-banknotes">
          <h3 className="message-subhead">{t("exchange.body.banknotes")}</h3>
          {banknotes.length ? (
            <table className="data-table">
              <caption className="visually-hidden">{t("exchange.body.banknotes")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("exchange.body.currency")}</th>
                  <th scope="col">{t("exchange.body.serialFrom")}</th>
                  <th scope="col">{t("exchange.body.serialTo")}</th>
                </tr>
              </thead>
              <tbody>
                {banknotes.map((n, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a received list never changes
                  <tr key={i}>
                    <td>
                      <code dir="ltr">{str(n.currency)}</code>
                    </td>
                    <td>
                      <code dir="ltr">{str(n.serialFrom)}</code>
                    </td>
                    <td>
                      <code dir="ltr">{str(n.serialTo)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="empty-note">{t("exchange.body.noneGiven")}</p>
          )}
        </section>
        <section className="watch-block" data-testid="message-accounts">
          <h3 className="message-subhead">{t("exchange.body.accounts")}</h3>
          <CodeList values={accounts} />
        </section>
        <section className="watch-block" data-testid="message-wallets">
          <h3 className="message-subhead">{t("exchange.body.wallets")}</h3>
          {wallets.length ? (
            <ul className="plain-list code-list">
              {wallets.map((w, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a received list never changes
                <li key={i}>
                  <span className="badge badge-info">{str(w.asset)}</span>{" "}
                  <code dir="ltr" className="selector-value">
                    {str(w.address)}
                  </code>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty-note">{t("exchange.body.noneGiven")}</p>
          )}
        </section>
        <section className="watch-block" data-testid="message-phones">
          <h3 className="message-subhead">{t("exchange.body.phones")}</h3>
          <CodeList values={phones} />
        </section>
      </div>
    </div>
  );
}

function CodeList({ values }: { values: string[] }) {
  const { t } = useTranslation();
  if (!values.length) return <p className="empty-note">{t("exchange.body.noneGiven")}</p>;
  return (
    <ul className="plain-list code-list">
      {values.map((v, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a received list never changes
        <li key={i}>
          <code dir="ltr" className="selector-value">
            {v}
          </code>
        </li>
      ))}
    </ul>
  );
}
