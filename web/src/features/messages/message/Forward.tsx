/**
 * Passing a received message on to third nodes: only what its marking allows (TLP 2.0
 * and the handling codes), only to active partners.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, forFields, type InboxMessage, run } from "../../../api.ts";
import { partnerLabel } from "../../../components/Federation.tsx";
import { CheckboxGroup, localProblem, ProblemAlert, StatusMessage } from "../../../components/form/index.ts";
import { UnreachablePartners, usePartners } from "../partners.tsx";

/** Why a message may not be passed on, by the rule the node applies (TLP 2.0 and the handling codes). */
function forwardBlock(m: InboxMessage): string {
  if (m.handling.includes("H2")) return "noH2";
  if (m.handling.includes("H3")) return "noH3";
  if (m.tlp === "red") return "noRed";
  if (m.tlp === "amber" || m.tlp === "amber+strict") return "noAmber";
  return "noOther";
}

/** Passing a received message on to third nodes: only what its marking allows, only to active partners. */
export function Forward({ message }: { message: InboxMessage }) {
  const { t } = useTranslation();
  const { partners, problem: partnersProblem } = usePartners();
  const [chosen, setChosen] = useState<string[]>([]);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!message.forwardable) {
    return (
      <section className="section forward" aria-labelledby="forward-title" data-testid="forward">
        <h2 id="forward-title">{t("exchange.forward.title")}</h2>
        <p className="forward-blocked" data-testid="forward-blocked">
          {t(`exchange.forward.${forwardBlock(message)}`)}
        </p>
      </section>
    );
  }
  const others = (partners ?? []).filter((p) => p.nodeId !== message.sender);
  const active = others.filter((p) => p.status === "active");
  const unreachable = others.filter((p) => p.status !== "active");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const to = [...new Set(chosen)];
    if (to.length === 0) {
      setProblem(localProblem({ to: t("fieldErrors.chooseRecipient") }));
      return;
    }
    setBusy(true);
    const r = await run(
      api.POST("/api/federation/inbox/{id}/forward", { params: { path: { id: message.id } }, body: { to } }),
    );
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, ["to"]));
      return;
    }
    setChosen([]);
    setDone(
      t("exchange.forward.sent", {
        nodes: r.data.messages.map((m) => m.recipient).join(t("common.listSeparator")),
      }),
    );
  };
  return (
    <section className="section panel forward" aria-labelledby="forward-title" data-testid="forward">
      <h2 id="forward-title">{t("exchange.forward.title")}</h2>
      <p className="muted">{t("exchange.forward.intro")}</p>
      <ProblemAlert problem={problem ?? partnersProblem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        {partners === null ? (
          !partnersProblem && <p className="muted">{t("common.loading")}</p>
        ) : active.length > 0 ? (
          <CheckboxGroup
            legend={t("exchange.compose.knownPeers")}
            hint={t("exchange.compose.partnersHint")}
            options={active.map((p) => ({ value: p.nodeId, label: partnerLabel(p) }))}
            selected={chosen}
            onChange={setChosen}
            error={problem?.fields.to}
            testIdPrefix="forward-to-"
          />
        ) : (
          <p className="field-hint" data-testid="forward-no-partners">
            {t("exchange.forward.noOtherPartners")}
          </p>
        )}
        {unreachable.length > 0 && <UnreachablePartners partners={unreachable} />}
        {active.length > 0 && (
          <div>
            <button
              type="submit"
              className="button button-secondary"
              disabled={busy}
              data-testid="forward-submit"
            >
              {busy ? t("exchange.compose.sending") : t("exchange.forward.submit")}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}
