/**
 * The prosecution of a case: each charge with its offence and legal provision,
 * the court, the stage reached, the verdict, the sentence and any appeal. A
 * charge is moved along by recording it as it stands now (each change audited).
 */
import { useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ChargeView, PersonView } from "../../../api.ts";
import { StatusMessage } from "../../../components/form/index.ts";
import { ChargeForm } from "./ChargeForm.tsx";
import { ChargesTable } from "./ChargesTable.tsx";
import { AddForm, type RecordsUpdate } from "./common.tsx";

export function ProsecutionSection({
  caseId,
  charges,
  persons,
  onRecords,
  canWrite,
}: {
  caseId: string;
  /** The server's answer: the caller holds `case.prosecution` on this case (prosecutors and the lead). */
  canWrite: boolean;
  charges: ChargeView[] | null;
  persons: PersonView[];
  onRecords: RecordsUpdate;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<ChargeView | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const editRef = useRef<HTMLDivElement>(null);
  const replace = (c: ChargeView) =>
    onRecords((prev) => ({ ...prev, charges: prev.charges.map((x) => (x.id === c.id ? c : x)) }));

  const startEdit = (c: ChargeView) => {
    setDone(null);
    setEditing(c);
    window.setTimeout(() => {
      editRef.current?.scrollIntoView({ block: "start" });
      editRef.current?.querySelector<HTMLElement>("h3")?.focus();
    }, 0);
  };

  return (
    <section className="section panel" id="case-prosecution" aria-labelledby="case-prosecution-title">
      <h2 id="case-prosecution-title">{t("charges.title")}</h2>
      <p className="muted">{t("charges.intro")}</p>
      <StatusMessage message={done} />
      {charges === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : charges.length === 0 ? (
        <p className="empty-note">{t("charges.none")}</p>
      ) : (
        <ChargesTable charges={charges} persons={persons} onEdit={canWrite ? startEdit : undefined} />
      )}
      {editing && canWrite && (
        <div ref={editRef} className="edit-panel" data-testid="charge-edit-form">
          <h3 tabIndex={-1}>{t("charges.editTitle", { offence: editing.offence })}</h3>
          <ChargeForm
            key={editing.id}
            caseId={caseId}
            persons={persons}
            charge={editing}
            prefix="charge-edit"
            onSaved={(c) => {
              replace(c);
              setEditing(null);
              setDone(t("charges.updated", { offence: c.offence, stage: t(`stage.${c.stage}`) }));
            }}
            onCancel={() => setEditing(null)}
          />
        </div>
      )}
      {!canWrite && <p className="muted small">{t("charges.readOnly")}</p>}
      {canWrite && (
        <AddForm summary={t("charges.addTitle")} testId="charge-add">
          <ChargeForm
            caseId={caseId}
            persons={persons}
            charge={null}
            prefix="charge"
            onSaved={(c) => onRecords((prev) => ({ ...prev, charges: [...prev.charges, c] }))}
          />
        </AddForm>
      )}
    </section>
  );
}
