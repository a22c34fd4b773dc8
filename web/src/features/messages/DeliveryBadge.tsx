/**
 * The delivery state of a sent message (queued, processed, rejected, dead), as a badge.
 */
import { useTranslation } from "react-i18next";
import type { MessageStatus } from "../../api.ts";

const STATUS_CLASS: Record<MessageStatus, string> = {
  queued: "badge-info",
  processed: "badge-ok",
  rejected: "badge-alarm",
  dead: "badge-alarm",
};

export function DeliveryBadge({ status }: { status: MessageStatus }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${STATUS_CLASS[status]}`} data-testid="outbox-status" data-status={status}>
      {t(`delivery.${status}`)}
    </span>
  );
}
