/**
 * Who a message goes to: every active partner, or those chosen; the partners
 * that cannot be addressed now are named with their state.
 */
import { useTranslation } from "react-i18next";
import { partnerLabel } from "../../../components/Federation.tsx";
import { CheckboxGroup, FieldGroup, ProblemAlert, RadioOptions } from "../../../components/form/index.ts";
import { UnreachablePartners, usePartners } from "../partners.tsx";
import type { Draft, DraftErrors, DraftSetter } from "./draft.ts";

export function RecipientsFields({ d, set, err }: { d: Draft; set: DraftSetter; err: DraftErrors }) {
  const { t } = useTranslation();
  const { partners, problem: partnersProblem } = usePartners();
  const recipients = (partners ?? []).filter((p) => p.status === "active");
  const unreachable = (partners ?? []).filter((p) => p.status !== "active");
  return (
    <FieldGroup
      variant="panel"
      className="recipients"
      legend={t("exchange.compose.recipients")}
      error={err("to")}
      errorTestId="compose-to-error"
      testId="compose-recipients"
    >
      <RadioOptions
        options={[
          { value: "all", label: t("exchange.compose.toAll"), testId: "compose-to-all" },
          { value: "chosen", label: t("exchange.compose.toChosen"), testId: "compose-to-chosen" },
        ]}
        value={d.mode}
        onChange={set("mode")}
      />
      {d.mode === "chosen" && (
        <div className="recipients-chosen">
          {partners === null ? (
            partnersProblem ? (
              <ProblemAlert problem={partnersProblem} />
            ) : (
              <p className="muted">{t("common.loading")}</p>
            )
          ) : recipients.length > 0 ? (
            <CheckboxGroup
              legend={t("exchange.compose.knownPeers")}
              hint={t("exchange.compose.partnersHint")}
              options={recipients.map((p) => ({ value: p.nodeId, label: partnerLabel(p) }))}
              selected={d.chosen}
              onChange={set("chosen")}
              testIdPrefix="compose-to-"
            />
          ) : (
            <p className="field-hint" data-testid="compose-no-partners">
              {t("exchange.compose.noActivePartners")}
            </p>
          )}
          {unreachable.length > 0 && <UnreachablePartners partners={unreachable} />}
        </div>
      )}
    </FieldGroup>
  );
}
