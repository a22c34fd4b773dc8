/**
 * Rescue and outcome: how the crisis ended (the case's outcome, set when the
 * case is resolved) and the rescue operations carried out. Rescue operations
 * are evidence: the lead and the crisis team record them, nobody changes them.
 */
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CaseView,
  forFields,
  type RescueBody,
  type RescueView,
  run,
} from "../../../api.ts";
import { CaseStatusBadge } from "../../../components/CaseBadges.tsx";
import {
  FieldGroup,
  fieldErrors,
  localProblem,
  opt,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextAreaField,
  TextField,
  wholeNumber,
} from "../../../components/form/index.ts";
import { may, RESCUE_RESULTS } from "../../../constants.ts";
import { fromLocalInput, useFormat } from "../../../format.ts";
import { AddForm, type RecordsUpdate } from "./common.tsx";

type RescueResult = RescueBody["result"];

const RESULT_CLASS: Record<RescueResult, string> = {
  victims_freed: "badge-ok",
  partial: "badge-warn",
  failed: "badge-alarm",
  aborted: "badge-off",
};

export function RescueSection({
  kase,
  rescues,
  onRecords,
}: {
  kase: CaseView;
  rescues: RescueView[] | null;
  onRecords: RecordsUpdate;
}) {
  const { t } = useTranslation();
  const crisisTeam = may(kase, "rescue.record");
  return (
    <section className="section panel" id="case-rescue" aria-labelledby="case-rescue-title">
      <h2 id="case-rescue-title">{t("rescue.title")}</h2>
      <dl className="details outcome-summary" data-testid="rescue-outcome">
        <dt>{t("case.status")}</dt>
        <dd>
          <CaseStatusBadge status={kase.status} />
        </dd>
        <dt>{t("case.outcome")}</dt>
        <dd>
          {kase.outcome ? (
            <strong>{t(`outcome.${kase.outcome}`)}</strong>
          ) : (
            <span className="muted">{t("rescue.noOutcome")}</span>
          )}
        </dd>
      </dl>
      <h3 className="subsection">{t("rescue.operations")}</h3>
      {rescues === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : rescues.length === 0 ? (
        <p className="empty-note">{t("rescue.none")}</p>
      ) : (
        <ol className="record-cards" data-testid="rescue-list">
          {rescues.map((r) => (
            <RescueCard key={r.id} rescue={r} />
          ))}
        </ol>
      )}
      {crisisTeam ? (
        <AddForm summary={t("rescue.addTitle")} testId="rescue-add">
          <RecordRescue
            caseId={kase.id}
            onRecorded={(r) =>
              onRecords((prev) => ({
                ...prev,
                rescues: [...prev.rescues, r].sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
              }))
            }
          />
        </AddForm>
      ) : (
        <p className="muted small subsection">{t("rescue.crisisTeamOnly")}</p>
      )}
    </section>
  );
}

function RescueCard({ rescue: r }: { rescue: RescueView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const c = r.casualties;
  const casualties = c.victims + c.officers + c.suspects;
  return (
    <li className="record-card" data-testid="rescue-item" data-result={r.result}>
      <div className="record-card-head">
        <span className={`badge ${RESULT_CLASS[r.result]}`}>{t(`rescueResult.${r.result}`)}</span>
        <time dateTime={r.startedAt} className="strong">
          {format.dateTime(r.startedAt)}
        </time>
        {r.endedAt && (
          <span className="muted small">
            {t("rescue.endedAt")}: <time dateTime={r.endedAt}>{format.dateTime(r.endedAt)}</time>
          </span>
        )}
      </div>
      <dl className="details">
        <dt>{t("rescue.unit")}</dt>
        <dd dir="auto">{r.unit}</dd>
        {r.place && (
          <>
            <dt>{t("rescue.place")}</dt>
            <dd dir="auto">{r.place}</dd>
          </>
        )}
        <dt>{t("rescue.victimsFreed")}</dt>
        <dd>{format.number(r.victimsFreed)}</dd>
        <dt>{t("rescue.suspectsArrested")}</dt>
        <dd>{format.number(r.suspectsArrested)}</dd>
        <dt>{t("rescue.casualties")}</dt>
        <dd>
          {casualties === 0
            ? t("rescue.noCasualties")
            : t("rescue.casualtiesValue", {
                victims: format.number(c.victims),
                officers: format.number(c.officers),
                suspects: format.number(c.suspects),
              })}
        </dd>
      </dl>
      <p className="entry-summary" dir="auto">
        {r.summary}
      </p>
    </li>
  );
}

interface Draft {
  startedAt: string;
  endedAt: string;
  unit: string;
  place: string;
  result: RescueResult;
  victimsFreed: string;
  suspectsArrested: string;
  casualtiesVictims: string;
  casualtiesOfficers: string;
  casualtiesSuspects: string;
  summary: string;
}

const EMPTY: Draft = {
  startedAt: "",
  endedAt: "",
  unit: "",
  place: "",
  result: "victims_freed",
  victimsFreed: "1",
  suspectsArrested: "0",
  casualtiesVictims: "0",
  casualtiesOfficers: "0",
  casualtiesSuspects: "0",
  summary: "",
};

const FIELDS = [
  "startedAt",
  "endedAt",
  "unit",
  "place",
  "result",
  "victimsFreed",
  "suspectsArrested",
  "casualties.victims",
  "casualties.officers",
  "casualties.suspects",
  "summary",
];

const COUNTS = [
  ["victimsFreed", "victimsFreed"],
  ["suspectsArrested", "suspectsArrested"],
  ["casualtiesVictims", "casualties.victims"],
  ["casualtiesOfficers", "casualties.officers"],
  ["casualtiesSuspects", "casualties.suspects"],
] as const;

function RecordRescue({ caseId, onRecorded }: { caseId: string; onRecorded: (r: RescueView) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));
  const err = fieldErrors(problem);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const counts: Record<string, number> = {};
    const bad: Record<string, string> = {};
    for (const [key, path] of COUNTS) {
      const n = wholeNumber(d[key]);
      if (Number.isNaN(n)) bad[path] = "must be a whole number";
      counts[path] = n ?? 0;
    }
    const startedAt = fromLocalInput(d.startedAt);
    if (!startedAt) bad.startedAt = "must not be empty";
    if (Object.keys(bad).length > 0 || !startedAt) {
      setProblem(localProblem(bad));
      return;
    }
    const body: RescueBody = {
      startedAt,
      endedAt: fromLocalInput(d.endedAt),
      unit: d.unit.trim(),
      place: opt(d.place),
      result: d.result,
      victimsFreed: counts.victimsFreed ?? 0,
      suspectsArrested: counts.suspectsArrested ?? 0,
      casualties: {
        victims: counts["casualties.victims"] ?? 0,
        officers: counts["casualties.officers"] ?? 0,
        suspects: counts["casualties.suspects"] ?? 0,
      },
      summary: d.summary.trim(),
    };
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/rescues", { params: { path: { id: caseId } }, body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, FIELDS));
      return;
    }
    onRecorded(r.data);
    setD(EMPTY);
    setDone(t("rescue.recorded"));
  };

  const count = (key: (typeof COUNTS)[number][0], path: string, testId: string) => (
    <TextField
      label={t(`rescue.count.${key}`)}
      value={d[key]}
      onChange={set(key)}
      inputMode="numeric"
      maxLength={6}
      autoComplete="off"
      error={err(path)}
      testId={testId}
    />
  );

  return (
    <>
      <p className="muted small">{t("rescue.neverChanged")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid compact-form">
        <TextField
          type="datetime-local"
          label={t("rescue.startedAt")}
          value={d.startedAt}
          onChange={set("startedAt")}
          error={err("startedAt")}
          testId="rescue-started-at"
        />
        <TextField
          type="datetime-local"
          label={t("rescue.endedAtOptional")}
          value={d.endedAt}
          onChange={set("endedAt")}
          error={err("endedAt")}
          testId="rescue-ended-at"
        />
        <TextField
          label={t("rescue.unit")}
          hint={t("rescue.unitHint")}
          value={d.unit}
          onChange={set("unit")}
          dir="auto"
          error={err("unit")}
          testId="rescue-unit"
        />
        <TextField
          label={t("rescue.placeOptional")}
          value={d.place}
          onChange={set("place")}
          dir="auto"
          error={err("place")}
          testId="rescue-place"
        />
        <SelectField
          label={t("rescue.result")}
          value={d.result}
          onChange={(v) => set("result")(RESCUE_RESULTS.find((x) => x === v) ?? "failed")}
          options={RESCUE_RESULTS.map((x) => ({ value: x, label: t(`rescueResult.${x}`) }))}
          error={err("result")}
          testId="rescue-result"
        />
        <div className="form-grid form-grid-2 nested-grid">
          {count("victimsFreed", "victimsFreed", "rescue-victims-freed")}
          {count("suspectsArrested", "suspectsArrested", "rescue-suspects-arrested")}
        </div>
        <FieldGroup variant="sub" className="form-grid-wide" legend={t("rescue.casualties")}>
          <div className="form-grid form-grid-3">
            {count("casualtiesVictims", "casualties.victims", "rescue-casualties-victims")}
            {count("casualtiesOfficers", "casualties.officers", "rescue-casualties-officers")}
            {count("casualtiesSuspects", "casualties.suspects", "rescue-casualties-suspects")}
          </div>
        </FieldGroup>
        <TextAreaField
          fieldClassName="form-grid-wide"
          label={t("rescue.summary")}
          value={d.summary}
          onChange={set("summary")}
          dir="auto"
          error={err("summary")}
          testId="rescue-summary"
        />
        <div className="form-grid-wide">
          <button type="submit" className="button button-primary" disabled={busy} data-testid="rescue-submit">
            {busy ? t("common.saving") : t("rescue.submit")}
          </button>
        </div>
      </form>
    </>
  );
}
