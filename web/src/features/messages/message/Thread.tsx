/**
 * The other messages of a message's thread, received and sent, oldest first: each
 * with its type, who sent it or whom it went to, when, and its delivery state.
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { InboxMessage, OutboxMessage } from "../../../api.ts";
import { messageTypeLabel } from "../../../components/Federation.tsx";
import { useFormat } from "../../../format.ts";
import { DeliveryBadge } from "../DeliveryBadge.tsx";
import { summaryOf } from "../MessageBody.tsx";

export type ThreadItem =
  | { dir: "in"; at: string; m: InboxMessage }
  | { dir: "out"; at: string; m: OutboxMessage };

export function Thread({ items }: { items: ThreadItem[] }) {
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
