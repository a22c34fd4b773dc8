/**
 * Importing a peer's signed descriptor (pasted): the node checks its signature and
 * adds the peer, pending approval.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type Peer, run } from "../../api.ts";
import { ProblemAlert, TextAreaField } from "../../components/form/index.ts";

export function ImportPeer({ onImported }: { onImported: (p: Peer) => void }) {
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
