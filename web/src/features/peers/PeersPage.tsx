/**
 * Peer nodes (administrators, `federation.manage`): this node's own signed
 * descriptor to send to peers, the peers with their state and key fingerprints,
 * importing a peer's descriptor, approving it once its signing-key fingerprint
 * has been compared out of band (typed, not clicked), and suspending it.
 */
import type { TFunction } from "i18next";
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type NodeDescriptor, type Peer, run } from "../../api.ts";
import { Fingerprint, PeerStatusBadge } from "../../components/Federation.tsx";
import { ProblemAlert, StatusMessage, TextAreaField, TextField } from "../../components/form/index.ts";
import { PageTitle } from "../../components/PageTitle.tsx";
import { CopyButton } from "../../components/Secret.tsx";
import { useFormat } from "../../format.ts";

type Action = { kind: "approve" | "suspend"; nodeId: string } | null;

/** The server's own wording of a known state reason, in the interface language. */
function reasonText(t: TFunction, reason: string | null): string | null {
  if (reason === null) return null;
  if (reason.startsWith("keys changed")) return t("peers.keysChanged");
  return reason;
}

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

function OwnDescriptor() {
  const { t } = useTranslation();
  const [own, setOwn] = useState<NodeDescriptor | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  useEffect(() => {
    void (async () => {
      const r = await run(api.GET("/api/federation/descriptor"));
      if (r.ok) setOwn(r.data);
      else setProblem(r.problem);
    })();
  }, []);
  return (
    <section className="section panel own-node" aria-labelledby="own-node-title" data-testid="own-node">
      <h2 id="own-node-title">{t("peers.ownTitle")}</h2>
      <p>{t("peers.ownIntro")}</p>
      <ProblemAlert problem={problem} />
      {own === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <>
          <dl className="details fingerprints">
            <dt>{t("peers.nodeId")}</dt>
            <dd>
              <code data-testid="own-node-id">{own.nodeId}</code>
            </dd>
            <dt>{t("peers.signingFingerprint")}</dt>
            <dd className="fingerprint-cell">
              <Fingerprint value={own.fingerprints.signing} testId="own-fingerprint-signing" />
              <CopyButton value={own.fingerprints.signing} testId="own-fingerprint-copy" />
            </dd>
            <dt>{t("peers.encryptionFingerprint")}</dt>
            <dd>
              <Fingerprint value={own.fingerprints.encryption} testId="own-fingerprint-encryption" />
            </dd>
          </dl>
          <TextAreaField
            id="own-descriptor"
            fieldClassName="descriptor-field"
            className="descriptor-text"
            label={t("peers.ownDescriptor")}
            hint={t("peers.ownDescriptorHint")}
            value={own.descriptor}
            readOnly
            rows={4}
            dir="ltr"
            spellCheck={false}
            testId="own-descriptor"
            onFocus={(e) => e.currentTarget.select()}
          />
          <CopyButton value={own.descriptor} label={t("peers.copyDescriptor")} testId="own-descriptor-copy" />
        </>
      )}
    </section>
  );
}

function PeersTable({
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

/** A panel under the table that takes the focus when it opens. */
function ActionPanel({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    headingRef.current?.focus();
    headingRef.current?.scrollIntoView({ block: "nearest" });
  }, []);
  return (
    <section className="edit-panel" aria-labelledby={`${testId}-title`} data-testid={testId}>
      <h3 id={`${testId}-title`} ref={headingRef} tabIndex={-1}>
        {title}
      </h3>
      {children}
    </section>
  );
}

function ApprovePeer({
  nodeId,
  onCancel,
  onApproved,
}: {
  nodeId: string;
  onCancel: () => void;
  onApproved: (p: Peer) => void;
}) {
  const { t } = useTranslation();
  const [fingerprint, setFingerprint] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    const r = await run(
      api.POST("/api/federation/peers/{nodeId}/approve", {
        params: { path: { nodeId } },
        body: { signingFingerprint: fingerprint },
      }),
    );
    setBusy(false);
    if (r.ok) onApproved(r.data);
    else setProblem(forFields(r.problem, ["signingFingerprint"]));
  };
  return (
    <ActionPanel title={t("peers.approveTitle", { node: nodeId })} testId="peer-approve-panel">
      <p>{t("peers.approveWhy")}</p>
      <ProblemAlert problem={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <TextField
          label={t("peers.typedFingerprint", { node: nodeId })}
          hint={t("peers.typedFingerprintHint")}
          value={fingerprint}
          onChange={setFingerprint}
          autoComplete="off"
          spellCheck={false}
          dir="ltr"
          className="fingerprint-input"
          error={problem?.fields.signingFingerprint}
          testId="peer-approve-fingerprint"
        />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="peer-approve-submit"
          >
            {busy ? t("common.saving") : t("peers.approveSubmit", { node: nodeId })}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </ActionPanel>
  );
}

function SuspendPeer({
  nodeId,
  onCancel,
  onSuspended,
}: {
  nodeId: string;
  onCancel: () => void;
  onSuspended: (p: Peer) => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    const r = await run(
      api.POST("/api/federation/peers/{nodeId}/suspend", {
        params: { path: { nodeId } },
        body: { reason },
      }),
    );
    setBusy(false);
    if (r.ok) onSuspended(r.data);
    else setProblem(forFields(r.problem, ["reason"]));
  };
  return (
    <ActionPanel title={t("peers.suspendTitle", { node: nodeId })} testId="peer-suspend-panel">
      <p>{t("peers.suspendWhat")}</p>
      <ProblemAlert problem={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <TextAreaField
          label={t("peers.suspendReason")}
          hint={t("peers.suspendReasonHint")}
          value={reason}
          onChange={setReason}
          dir="auto"
          error={problem?.fields.reason}
          testId="peer-suspend-reason"
        />
        <div className="form-actions">
          <button
            type="submit"
            className="button button-danger"
            disabled={busy}
            data-testid="peer-suspend-submit"
          >
            {busy ? t("common.saving") : t("peers.suspendSubmit", { node: nodeId })}
          </button>
          <button type="button" className="button button-secondary" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        </div>
      </form>
    </ActionPanel>
  );
}

function ImportPeer({ onImported }: { onImported: (p: Peer) => void }) {
  const { t } = useTranslation();
  const [descriptor, setDescriptor] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setBusy(true);
    const r = await run(api.POST("/api/federation/peers", { body: { descriptor: descriptor.trim() } }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["descriptor"]));
      return;
    }
    setDescriptor("");
    onImported(r.data);
  };
  return (
    <section className="section panel" aria-labelledby="peer-import-title">
      <h2 id="peer-import-title">{t("peers.importTitle")}</h2>
      <p>{t("peers.importIntro")}</p>
      <ProblemAlert problem={problem} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <TextAreaField
          label={t("peers.descriptor")}
          hint={t("peers.descriptorHint")}
          value={descriptor}
          onChange={setDescriptor}
          rows={5}
          dir="ltr"
          spellCheck={false}
          autoComplete="off"
          className="descriptor-text"
          error={problem?.fields.descriptor}
          testId="peer-import-descriptor"
        />
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="peer-import-submit"
          >
            {busy ? t("common.saving") : t("peers.importSubmit")}
          </button>
        </div>
      </form>
    </section>
  );
}
