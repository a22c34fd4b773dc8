/**
 * One hit/no-hit query and its answers: per partner, per item, no hit or a hit (a
 * reference and a score), and what the partner decided to disclose about it.
 */
import { useTranslation } from "react-i18next";
import type { HitAnswer, HitQuery } from "../../api.ts";
import { useFormat } from "../../format.ts";
import { ItemLabel, useScore } from "./hitText.tsx";

export function QueryCard({ query }: { query: HitQuery }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = `hit-query-${query.id}`;
  return (
    <article
      className="record-card hit-query"
      aria-labelledby={headingId}
      data-testid="hit-query"
      data-id={query.id}
    >
      <div className="record-card-head">
        <h4 id={headingId} className="hit-query-title">
          {t("hits.askedOn", { when: format.dateTime(query.createdAt) })}
        </h4>
        <span className="muted small">
          {t("hits.itemsCount", { count: query.items.length })}
          {t("common.listSeparator")}
          {t("hits.peersCount", { count: query.answers.length })}
        </span>
      </div>
      <dl className="details hit-query-details">
        <dt>{t("hits.purpose")}</dt>
        <dd dir="auto" className="pre-wrap" data-testid="hit-query-purpose">
          {query.purpose}
        </dd>
        <dt>{t("hits.legalBasis")}</dt>
        <dd dir="auto" className="pre-wrap">
          {query.legalBasis}
        </dd>
      </dl>
      {query.answers.map((a) => (
        <AnswerTable key={a.peer} query={query} answer={a} />
      ))}
    </article>
  );
}

const STATUS_CLASS: Record<HitAnswer["status"], string> = {
  pending: "badge-info",
  answered: "badge-ok",
  refused: "badge-alarm",
};

function AnswerTable({ query, answer }: { query: HitQuery; answer: HitAnswer }) {
  const { t } = useTranslation();
  const format = useFormat();
  const score = useScore();
  const results = new Map(answer.results.map((r) => [r.item, r]));
  return (
    <div className="hit-answer" data-testid={`hit-answer-${answer.peer}`} data-status={answer.status}>
      <p className="hit-answer-head">
        <bdi className="peer-id">{answer.peer}</bdi>{" "}
        <span className={`badge ${STATUS_CLASS[answer.status]}`}>
          {t(`hits.answerStatus.${answer.status}`)}
        </span>{" "}
        {answer.answeredAt && (
          <bdi className="muted small">
            <time dateTime={answer.answeredAt}>{format.dateTime(answer.answeredAt)}</time>
          </bdi>
        )}
      </p>
      {answer.status === "pending" ? (
        <p className="hits-waiting small">
          <span className="live-dot" aria-hidden="true" />
          {t("hits.awaitingAnswer", { peer: answer.peer })}
        </p>
      ) : answer.status === "refused" ? (
        <p className="small" data-testid="hit-answer-refused">
          {t("hits.refusedBy", { peer: answer.peer })}{" "}
          {answer.reason && <span dir="auto">{answer.reason}</span>}
        </p>
      ) : (
        <div className="table-scroll">
          <table className="data-table hit-results">
            <caption className="visually-hidden">{t("hits.answerOf", { peer: answer.peer })}</caption>
            <thead>
              <tr>
                <th scope="col">{t("hits.col.item")}</th>
                <th scope="col">{t("hits.col.result")}</th>
              </tr>
            </thead>
            <tbody>
              {query.items.map((item) => {
                const r = results.get(item.key);
                const state = !r ? "nohit" : !r.answered ? "unanswered" : r.hits.length > 0 ? "hit" : "nohit";
                return (
                  <tr key={item.key} data-testid="hit-result" data-item={item.key} data-state={state}>
                    <td>
                      <ItemLabel label={item.label} />
                      <span className="block muted small">{t(`hits.itemType.${item.type}`)}</span>
                    </td>
                    <td>
                      {state === "unanswered" ? (
                        <span className="badge badge-off">{t("hits.notAnswered")}</span>
                      ) : state === "nohit" ? (
                        <span className="badge badge-off">{t("hits.noHit")}</span>
                      ) : (
                        <ul className="plain-list hit-list">
                          {r?.hits.map((h) => (
                            <li
                              key={h.reference}
                              data-testid="hit-hit"
                              data-disclosure={h.disclosure?.decision ?? "awaiting"}
                            >
                              <span className="badge badge-warn">{t("hits.hit")}</span>{" "}
                              <span className="small">{t("hits.score", { score: score(h.score) })}</span>{" "}
                              <code className="small muted" dir="ltr" title={h.reference}>
                                …{h.reference.slice(-8)}
                              </code>
                              <Disclosure hit={h} peer={answer.peer} />
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function Disclosure({ hit, peer }: { hit: HitAnswer["results"][number]["hits"][number]; peer: string }) {
  const { t } = useTranslation();
  const format = useFormat();
  const d = hit.disclosure;
  if (!d) {
    return <span className="block small muted">{t("hits.awaitingDecision", { peer })}</span>;
  }
  if (d.decision === "refused") {
    return (
      <span className="block small" data-testid="hit-refused">
        <span className="badge badge-alarm">{t("hits.disclosureRefused")}</span>{" "}
        {d.reason && <span dir="auto">{d.reason}</span>}
      </span>
    );
  }
  return (
    <div className="hit-disclosure">
      <p className="small">
        <span className="badge badge-ok">{t("hits.disclosed", { peer })}</span>{" "}
        <bdi className="muted">
          <time dateTime={d.receivedAt}>{format.dateTime(d.receivedAt)}</time>
        </bdi>
      </p>
      <blockquote className="pre-wrap" dir="auto" data-testid="hit-disclosed">
        {d.information}
      </blockquote>
    </div>
  );
}
