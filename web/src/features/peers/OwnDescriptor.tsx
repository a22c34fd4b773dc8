/**
 * This node's own signed descriptor, to send to its peers: its node id, the
 * fingerprints of its signing and encryption keys, and the descriptor to copy.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type NodeDescriptor, run } from "../../api.ts";
import { Fingerprint } from "../../components/Federation.tsx";
import { ProblemAlert, TextAreaField } from "../../components/form/index.ts";
import { CopyButton } from "../../components/Secret.tsx";

export function OwnDescriptor() {
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
