/**
 * How the federation's things are shown wherever they appear: key fingerprints,
 * a peer's state, a message's type, and its marking — the TLP 2.0 label and the
 * handling codes of DESIGN.md §4, always with their meaning.
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { PeerStatus, Tlp } from "../api.ts";
import { ALL_HANDLING, ALL_TLP, MESSAGE_TYPE_KEYS } from "../constants.ts";
import { TlpBadge } from "./CaseBadges.tsx";

/**
 * A key fingerprint as administrators read it aloud: hexadecimal in groups of four,
 * monospace, left to right in every language. Screen readers get it whole.
 */
export function Fingerprint({ value, testId }: { value: string; testId?: string }) {
  const groups = value.split(/\s+/).filter(Boolean);
  return (
    <code className="fingerprint" dir="ltr" data-testid={testId} data-value={groups.join("")}>
      {groups.map((g, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the groups of a fingerprint never move
        <span key={i} className="fingerprint-group">
          {g}
          {i < groups.length - 1 ? " " : ""}
        </span>
      ))}
    </code>
  );
}

const PEER_STATUS_CLASS: Record<PeerStatus, string> = {
  pending: "badge-warn",
  active: "badge-ok",
  suspended: "badge-alarm",
};

export function PeerStatusBadge({ status, testId }: { status: PeerStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <span className={`badge ${PEER_STATUS_CLASS[status]}`} data-testid={testId} data-status={status}>
      {t(`peerStatus.${status}`)}
    </span>
  );
}

/** The messages of hit/no-hit (the node sends them itself; nobody composes them). */
export const HIT_MESSAGE_TYPE_KEYS: Readonly<Record<string, string>> = {
  "hit-query": "hitQuery",
  "hit-reply": "hitReply",
  "hit-disclosure": "hitDisclosure",
};

/** The translated name of a message type; a type this interface does not know is shown as sent. */
export function messageTypeLabel(t: TFunction, type: string): string {
  const key = MESSAGE_TYPE_KEYS[type] ?? HIT_MESSAGE_TYPE_KEYS[type];
  return key ? t(`messageType.${key}`) : type;
}

export function isTlp(value: string): value is Tlp {
  return (ALL_TLP as readonly string[]).includes(value);
}

function isHandling(value: string): value is (typeof ALL_HANDLING)[number] {
  return (ALL_HANDLING as readonly string[]).includes(value);
}

/** How strongly each handling code is put before a reader: H0 frames every use; H1–H3 restrict it. */
const NOTICE_CLASS: Record<(typeof ALL_HANDLING)[number], string> = {
  H0: "handling-notice-info",
  H1: "handling-notice-warn",
  H2: "handling-notice-warn",
  H3: "handling-notice-warn",
};

/**
 * What each handling code of a received message asks of this node, one notice per
 * code: what it forbids, and what to do (ask the sender, named).
 */
export function HandlingNotices({
  handling,
  sender,
  restrictions,
  testId,
}: {
  handling: readonly string[];
  sender: string;
  /** H3: the sender's other restrictions, in their words. */
  restrictions?: string | null | undefined;
  testId?: string;
}) {
  const { t } = useTranslation();
  const codes = [...handling].sort();
  return (
    <ul className="handling-notices" data-testid={testId}>
      {codes.map((h) => (
        <li
          key={h}
          data-code={h}
          className={`handling-notice ${isHandling(h) ? NOTICE_CLASS[h] : "handling-notice-warn"}`}
        >
          <span className="handling-code" dir="ltr">
            {h}
          </span>
          <span className="handling-notice-body">
            <strong className="handling-notice-title">
              {isHandling(h) ? t(`exchange.handling.${h}.title`) : t("exchange.unknownHandling")}
            </strong>
            {isHandling(h) && (
              <span className="handling-notice-text">{t(`exchange.handling.${h}.text`, { sender })}</span>
            )}
            {h === "H3" && restrictions && (
              <blockquote className="handling-restrictions" dir="auto" data-testid="message-restrictions">
                {restrictions}
              </blockquote>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The marking of a message: its TLP label and its handling codes. `full` spells out
 * the TLP and, as notices, what each code asks of the recipient and whom to ask
 * (a received message's page, given its sender); otherwise each code shows its
 * short meaning (lists).
 */
export function Marking({
  tlp,
  handling,
  full,
  sender,
  restrictions,
  testId,
}: {
  tlp: string;
  handling: readonly string[];
  full?: boolean;
  /** The node that sent the message (with `full`): the one to ask for permission. */
  sender?: string;
  /** H3: the other restrictions, in the sender's words. */
  restrictions?: string | null;
  testId?: string;
}) {
  const { t } = useTranslation();
  const codes = [...handling].sort();
  if (full) {
    return (
      <div className="marking marking-full" data-testid={testId}>
        <p className="marking-tlp">
          {isTlp(tlp) ? <TlpBadge tlp={tlp} testId="message-tlp" /> : <code dir="ltr">{tlp}</code>}{" "}
          <span>{isTlp(tlp) ? t(`tlp.${tlp === "amber+strict" ? "amber-strict" : tlp}`) : ""}</span>
        </p>
        {sender !== undefined ? (
          <HandlingNotices
            handling={codes}
            sender={sender}
            restrictions={restrictions}
            testId="message-handling"
          />
        ) : (
          <ul className="handling-list" data-testid="message-handling">
            {codes.map((h) => (
              <li key={h} data-code={h}>
                <span className="handling-code" dir="ltr">
                  {h}
                </span>{" "}
                {isHandling(h) ? t(`handlingCode.${h}.long`) : t("exchange.unknownHandling")}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <span className="marking" data-testid={testId}>
      {isTlp(tlp) ? <TlpBadge tlp={tlp} testId="message-tlp" /> : <code dir="ltr">{tlp}</code>}
      {codes.map((h) => (
        <span
          key={h}
          className="handling-badge"
          data-code={h}
          title={isHandling(h) ? t(`handlingCode.${h}.long`) : undefined}
        >
          <span dir="ltr" className="handling-code">
            {h}
          </span>{" "}
          <span className="handling-short">{isHandling(h) ? t(`handlingCode.${h}.short`) : ""}</span>
        </span>
      ))}
    </span>
  );
}

/** A partner node as a person reads it: its code, and its name when it says more. */
export function partnerLabel(p: { nodeId: string; name: string }): string {
  return p.name && p.name !== p.nodeId ? `${p.nodeId} — ${p.name}` : p.nodeId;
}
