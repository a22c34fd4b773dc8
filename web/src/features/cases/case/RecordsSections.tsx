/**
 * Organised groups, vehicles and selectors (phones, bank accounts, crypto
 * wallets) of a case: short lists, each with a compact add form (Groups,
 * Vehicles, Selectors). The node keeps plates and selectors normalised, so that
 * search finds them however typed.
 */
import { useTranslation } from "react-i18next";
import type { ApiProblem, CaseRecords, PersonView } from "../../../api.ts";
import { ProblemAlert } from "../../../components/form/index.ts";
import type { RecordsUpdate } from "./common.tsx";
import { Groups } from "./Groups.tsx";
import { Selectors } from "./Selectors.tsx";
import { Vehicles } from "./Vehicles.tsx";

export function RecordsSections({
  caseId,
  records,
  persons,
  problem,
  onRecords,
}: {
  caseId: string;
  records: CaseRecords | null;
  persons: PersonView[];
  problem: ApiProblem | null;
  onRecords: RecordsUpdate;
}) {
  const { t } = useTranslation();
  return (
    <section className="section panel" id="case-records" aria-labelledby="case-records-title">
      <h2 id="case-records-title">{t("records.title")}</h2>
      <p className="muted">{t("records.intro")}</p>
      <ProblemAlert problem={problem} />
      {records === null ? (
        !problem && <p className="muted">{t("common.loading")}</p>
      ) : (
        <div className="records-grid">
          <Groups
            caseId={caseId}
            groups={records.groups}
            onAdded={(g) => onRecords((prev) => ({ ...prev, groups: [...prev.groups, g] }))}
          />
          <Vehicles
            caseId={caseId}
            vehicles={records.vehicles}
            onAdded={(v) => onRecords((prev) => ({ ...prev, vehicles: [...prev.vehicles, v] }))}
          />
          <Selectors
            caseId={caseId}
            selectors={records.selectors}
            persons={persons}
            onAdded={(s) => onRecords((prev) => ({ ...prev, selectors: [...prev.selectors, s] }))}
          />
        </div>
      )}
    </section>
  );
}
