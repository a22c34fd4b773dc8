/**
 * Approving a peer, once its signing-key fingerprint has been compared out of band
 * (typed, not clicked), and suspending it with a reason: each in a panel under the
 * table that takes the focus when it opens.
 */
import { type FormEvent, type ReactNode, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type Peer, run } from "../../api.ts";
import { ProblemAlert, TextAreaField, TextField } from "../../components/form/index.ts";

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

export function ApprovePeer({
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

export function SuspendPeer({
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
