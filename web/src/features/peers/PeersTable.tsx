/**
 * The peer nodes as a table: node id and name, state (with its reason), key
 * fingerprints, endpoint, and the action each state allows (approve, suspend).
 */
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Peer } from "../../api.ts";
import { Fingerprint, PeerStatusBadge } from "../../components/Federation.tsx";
import { useFormat } from "../../format.ts";

export type Action = { kind: "approve" | "suspend"; nodeId: string } | null;

/** The server's own wording of a known state reason, in the interface language. */
function reasonText(t: TFunction, reason: string | null): string | null {
  if (reason === null) return null;
  if (reason.startsWith("keys changed")) return t("peers.keysChanged");
  return reason;
}

export function PeersTable({
  peers,
  action,
  onAction,
}: {
  peers: Peer[];
  action: Action;
  onAction: (a: Action) => void;
}) {
  const { t } = useTranslation();
  const format = useFormat();
  if (peers.length === 0) return <p className="empty-note">{t("peers.none")}</p>;
  return (
    <div className="table-scroll">
      <table className="data-table wrap-head peers-table" data-testid="peers-table">
        <caption className="visually-hidden">{t("peers.listTitle")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("peers.node")}</th>
            <th scope="col">{t("peers.status")}</th>
            <th scope="col">{t("peers.endpoint")}</th>
            <th scope="col">{t("peers.fingerprints")}</th>
            <th scope="col">{t("peers.dates")}</th>
            <th scope="col">{t("common.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {peers.map((p) => {
            const reason = reasonText(t, p.statusReason);
            return (
              <tr key={p.nodeId} data-testid={`peer-row-${p.nodeId}`} data-status={p.status}>
                <th scope="row">
                  <span className="peer-id">{p.nodeId}</span>
                  <span className="block muted small">
                    <bdi>{p.name}</bdi>
                  </span>
                </th>
                <td>
                  <PeerStatusBadge status={p.status} testId={`peer-status-${p.nodeId}`} />
                  {reason && (
                    <span className="block small peer-reason">
                      <bdi>{reason}</bdi>
                    </span>
                  )}
                </td>
                <td>
                  <code dir="ltr" className="endpoint">
                    {p.endpoint}
                  </code>
                </td>
                <td className="fingerprint-cell-stack">
                  <span className="fingerprint-label small muted">{t("peers.signing")}</span>
                  <Fingerprint value={p.fingerprints.signing} testId={`peer-fingerprint-${p.nodeId}`} />
                  <span className="fingerprint-label small muted">{t("peers.encryption")}</span>
                  <Fingerprint value={p.fingerprints.encryption} />
                </td>
                <td className="small">
                  <span className="block">
                    {t("peers.importedAt", { time: format.dateTime(p.importedAt) })}
                  </span>
                  <span className="block">
                    {t("peers.approvedAt", { time: format.dateTime(p.approvedAt) })}
                  </span>
                  <span className="block muted">
                    {t("peers.issuedAt", { time: format.dateTime(p.issuedAt) })}
                  </span>
                </td>
                <td>
                  <div className="row-actions">
                    {p.status !== "active" && (
                      <button
                        type="button"
                        className="button button-primary button-small"
                        data-testid={`peer-approve-${p.nodeId}`}
                        aria-expanded={action?.kind === "approve" && action.nodeId === p.nodeId}
                        onClick={() => onAction({ kind: "approve", nodeId: p.nodeId })}
                      >
                        {t("peers.approve")}
                        <span className="visually-hidden"> {p.nodeId}</span>
                      </button>
                    )}
                    {p.status !== "suspended" && (
                      <button
                        type="button"
                        className="button button-danger-outline button-small"
                        data-testid={`peer-suspend-${p.nodeId}`}
                        aria-expanded={action?.kind === "suspend" && action.nodeId === p.nodeId}
                        onClick={() => onAction({ kind: "suspend", nodeId: p.nodeId })}
                      >
                        {t("peers.suspend")}
                        <span className="visually-hidden"> {p.nodeId}</span>
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
