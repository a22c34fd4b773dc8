/**
 * Where a case opened from a received notice comes from, above its form: the notice,
 * its sender and when it arrived, what H1 asks of this node, and a link back to it.
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import type { InboxMessageDetail } from "../../../api.ts";
import { messageTypeLabel } from "../../../components/Federation.tsx";
import { useFormat } from "../../../format.ts";

export function FromMessageBanner({ message }: { message: InboxMessageDetail }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <div
      className="alert alert-info from-message"
      data-testid="case-from-message"
      data-message-id={message.id}
      data-sender={message.sender}
    >
      <p className="from-message-head">
        <strong>
          {t("newCase.fromMessage.banner", { id: message.id.slice(0, 8), sender: message.sender })}
        </strong>
      </p>
      <p>
        {t("newCase.fromMessage.received", {
          type: messageTypeLabel(t, message.type),
          time: format.dateTime(message.receivedAt),
        })}{" "}
        {t("newCase.fromMessage.explain")}
      </p>
      {message.handling.includes("H1") && (
        <p className="from-message-h1" data-testid="case-from-message-h1">
          <span className="handling-code" dir="ltr">
            H1
          </span>{" "}
          {t("exchange.handling.H1.text", { sender: message.sender })}
        </p>
      )}
      <p>
        <Link to={`/exchange/messages/${encodeURIComponent(message.id)}`}>
          {t("newCase.fromMessage.readNotice")}
        </Link>
      </p>
    </div>
  );
}
