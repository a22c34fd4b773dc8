/**
 * One entry of a crisis log: its number, kind and time, who recorded it (and when, if
 * later), what it corrects or is corrected by, and its content by kind.
 */
import { useTranslation } from "react-i18next";
import type { CrisisLogEntry } from "../../../api.ts";
import { formatMoney, useFormat } from "../../../format.ts";

/** A field of an entry's content as text ("" when it is not text). */
export const text = (value: unknown): string => (typeof value === "string" ? value : "");

interface EntryProps {
  entry: CrisisLogEntry;
  fresh: boolean;
  correctsSeq: number | null;
  correctedBy: number[];
  onCorrect: () => void;
  idOf: ReadonlyMap<number, number>;
}

export function Entry({ entry, fresh, correctsSeq, correctedBy, onCorrect, idOf }: EntryProps) {
  const { t } = useTranslation();
  const format = useFormat();
  const kind = text(entry.entry.kind);
  const recordedLater = Math.abs(Date.parse(entry.recordedAt) - Date.parse(entry.occurredAt)) >= 60_000;
  return (
    <li
      className={`timeline-entry kind-${kind}${fresh ? " entry-fresh" : ""}`}
      id={`crisis-entry-${entry.id}`}
      data-testid="crisis-entry"
      data-id={entry.id}
      data-seq={entry.seq}
      data-kind={kind}
    >
      <div className="entry-head">
        <span className="entry-seq" dir="ltr">
          #{entry.seq}
        </span>
        <span className={`entry-kind kind-badge-${kind}`}>
          {t(`crisisKind.${kind}`, { defaultValue: kind })}
        </span>
        <time dateTime={entry.occurredAt} className="entry-time">
          {format.dateTime(entry.occurredAt)}
        </time>
        <span className="entry-meta muted small">
          {recordedLater
            ? t("crisis.recordedAtBy", { time: format.dateTime(entry.recordedAt), author: entry.authorLabel })
            : t("crisis.recordedBy", { author: entry.authorLabel })}
        </span>
      </div>
      {entry.corrects !== null && (
        <p className="entry-corrects">
          <a href={`#crisis-entry-${entry.corrects}`}>
            {correctsSeq === null ? t("crisis.correctsUnknown") : t("crisis.corrects", { seq: correctsSeq })}
          </a>
        </p>
      )}
      <EntryContent content={entry.entry} />
      <div className="entry-foot">
        {correctedBy.length > 0 && (
          <span className="entry-corrected small">
            {t("crisis.correctedBy")}{" "}
            {correctedBy.map((seq, i) => (
              <span key={seq}>
                {i > 0 && t("common.listSeparator")}
                <a href={`#crisis-entry-${idOf.get(seq) ?? ""}`} dir="ltr">
                  #{seq}
                </a>
              </span>
            ))}
          </span>
        )}
        <button
          type="button"
          className="button button-secondary button-small"
          data-testid="crisis-correct"
          onClick={onCorrect}
        >
          {t("crisis.correct")}
          <span className="visually-hidden"> {t("crisis.entryNo", { seq: entry.seq })}</span>
        </button>
      </div>
    </li>
  );
}

function EntryContent({ content }: { content: Record<string, unknown> }) {
  const { t, i18n } = useTranslation();
  const kind = text(content.kind);
  const summary = (
    <p className="entry-summary" dir="auto">
      {text(content.summary)}
    </p>
  );
  switch (kind) {
    case "contact":
      return (
        <>
          <p className="entry-facts">
            {t(`channel.${text(content.channel)}`, { defaultValue: text(content.channel) })} ·{" "}
            {t(`direction.${text(content.direction)}`, { defaultValue: text(content.direction) })}
          </p>
          {summary}
        </>
      );
    case "demand": {
      const amount = content.amount as { value?: unknown; currency?: unknown } | undefined;
      return (
        <>
          {amount && typeof amount.value === "number" && (
            <p className="entry-amount" data-testid="crisis-entry-amount">
              {t("crisis.demandAmount")}{" "}
              <strong>{formatMoney(i18n.language, amount.value, text(amount.currency))}</strong>
            </p>
          )}
          {summary}
        </>
      );
    }
    case "proof_of_life":
      return (
        <>
          <p className="entry-facts">
            <span className={`badge ${content.verified === true ? "badge-ok" : "badge-warn"}`}>
              {content.verified === true ? t("crisis.polVerified") : t("crisis.polNotVerified")}
            </span>
          </p>
          {summary}
        </>
      );
    case "decision":
      return (
        <dl className="details entry-details">
          <dt>{t("crisis.decision")}</dt>
          <dd dir="auto">{text(content.decision)}</dd>
          <dt>{t("crisis.rationale")}</dt>
          <dd dir="auto">{text(content.rationale)}</dd>
          <dt>{t("crisis.decidedBy")}</dt>
          <dd dir="auto">{text(content.decidedBy)}</dd>
        </dl>
      );
    case "intelligence":
      return (
        <>
          {summary}
          {text(content.source) && (
            <p className="entry-facts muted small">
              {t("crisis.source")} <span dir="auto">{text(content.source)}</span>
            </p>
          )}
        </>
      );
    default:
      return summary;
  }
}
