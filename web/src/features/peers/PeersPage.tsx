/**
 * Peer nodes (administrators, `federation.manage`): this node's own signed
 * descriptor to send to peers, the peers with their state and key fingerprints,
 * importing a peer's descriptor, approving it once its signing-key fingerprint
 * has been compared out of band (typed, not clicked), and suspending it.
 */
import { useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type Peer, run } from "../../api.ts";
import { ProblemAlert, StatusMessage } from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { ImportPeer } from "./ImportPeer.tsx";
import { OwnDescriptor } from "./OwnDescriptor.tsx";
import { ApprovePeer, SuspendPeer } from "./PeerActions.tsx";
import { type Action, PeersTable } from "./PeersTable.tsx";

export function PeersPage() {
  const { t } = useTranslation();
  const [peers, setPeers] = useState<Peer[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [action, setAction] = useState<Action>(null);
  const [done, setDone] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await run(api.GET("/api/federation/peers"));
    if (r.ok) {
      setPeers(r.data.peers);
      setProblem(null);
    } else {
      setProblem(r.problem);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const changed = (peer: Peer, message: string) => {
    setPeers((prev) => {
      const others = (prev ?? []).filter((p) => p.nodeId !== peer.nodeId);
      return [...others, peer].sort((a, b) => a.nodeId.localeCompare(b.nodeId));
    });
    setDone(message);
  };

  return (
    <>
      <PageTitle>{t("peers.title")}</PageTitle>
      <p className="lead">{t("peers.intro")}</p>
      <OwnDescriptor />

      <section className="section" aria-labelledby="peers-list-title">
        <h2 id="peers-list-title">{t("peers.listTitle")}</h2>
        <ProblemAlert problem={problem} />
        <StatusMessage message={done} />
        {peers === null ? (
          !problem && <p className="muted">{t("common.loading")}</p>
        ) : (
          <PeersTable
            peers={peers}
            action={action}
            onAction={(a) => {
              setDone(null);
              setAction(a);
            }}
          />
        )}
        {action?.kind === "approve" && peers?.some((p) => p.nodeId === action.nodeId) && (
          <ApprovePeer
            key={`approve-${action.nodeId}`}
            nodeId={action.nodeId}
            onCancel={() => setAction(null)}
            onApproved={(p) => {
              setAction(null);
              changed(p, t("peers.approved", { node: p.nodeId }));
            }}
          />
        )}
        {action?.kind === "suspend" && peers?.some((p) => p.nodeId === action.nodeId) && (
          <SuspendPeer
            key={`suspend-${action.nodeId}`}
            nodeId={action.nodeId}
            onCancel={() => setAction(null)}
            onSuspended={(p) => {
              setAction(null);
              changed(p, t("peers.suspended", { node: p.nodeId }));
            }}
          />
        )}
      </section>

      <ImportPeer
        onImported={(p) => {
          changed(p, t("peers.imported", { node: p.nodeId }));
          if (p.status !== "active") setAction({ kind: "approve", nodeId: p.nodeId });
        }}
      />
    </>
  );
}
