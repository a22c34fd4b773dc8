/**
 * One case, for the members of its team: its record and class, its status and
 * lifecycle, — for the lead and the crisis team — the crisis log, then the case
 * file (persons, rescue and outcome, prosecution, groups, vehicles and
 * selectors, attachments: in ./case/) and its team.
 * To anyone not on the team the case does not exist ("not found").
 */
import type { TFunction } from "i18next";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams } from "react-router-dom";
import { type ApiProblem, api, type CaseView, run } from "../../../api.ts";
import {
  CaseStatusBadge,
  ClassificationLine,
  ClassificationReasons,
  TlpBadge,
} from "../../../components/CaseBadges.tsx";
import { ProblemAlert } from "../../../components/form/index.ts";
import { NotFoundPage } from "../../../components/NotFoundPage.tsx";
import { PageTitle } from "../../../components/PageTitle.tsx";
import { may } from "../../../constants.ts";
import { useFormat } from "../../../format.ts";
import { TeamSecurityNotices } from "../../account/SecurityNotices.tsx";
import { HitsSection } from "../../hits/HitsSection.tsx";
import { CrisisLog } from "../crisis-log/CrisisLog.tsx";
import { AttachmentsSection } from "./AttachmentsSection.tsx";
import { useCaseData } from "./common.tsx";
import { MessagesSection } from "./MessagesSection.tsx";
import { PersonsSection } from "./PersonsSection.tsx";
import { ProsecutionSection } from "./ProsecutionSection.tsx";
import { RecordsSections } from "./RecordsSections.tsx";
import { RescueSection } from "./RescueSection.tsx";
import { StatusPanel } from "./StatusPanel.tsx";
import { TeamPanel } from "./TeamSection.tsx";

export function CasePage() {
  const { t } = useTranslation();
  const { id = "" } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  // "Opened" is said once: the history entry forgets it, so that a reload does not repeat it.
  const [opened] = useState(() => (location.state as { opened?: string } | null)?.opened);
  useEffect(() => {
    if (opened) void navigate(".", { replace: true, state: null });
  }, [opened, navigate]);
  const [kase, setKase] = useState<CaseView | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    let cancelled = false;
    setKase(null);
    setProblem(null);
    void (async () => {
      const r = await run(api.GET("/api/cases/{id}", { params: { path: { id } } }));
      if (cancelled) return;
      if (r.ok) setKase(r.data);
      else setProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [id]);

  if (problem && (problem.status === 404 || problem.code === "validation_failed")) return <NotFoundPage />;

  if (!kase) {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/cases">{t("cases.backToList")}</Link>
        </p>
        <PageTitle>{t("case.pageTitle")}</PageTitle>
        <ProblemAlert problem={problem} />
        {!problem && <p className="muted">{t("common.loading")}</p>}
      </>
    );
  }

  const crisisTeam = may(kase, "crisis_log.read");
  return (
    <>
      <p className="breadcrumb">
        <Link to="/cases">{t("cases.backToList")}</Link>
      </p>
      <CaseHeader kase={kase} />
      <CaseSections crisisTeam={crisisTeam} />
      {opened === kase.reference && (
        <p className="alert alert-success" role="status">
          {t("case.opened", { reference: kase.reference })}
        </p>
      )}
      <TeamSecurityNotices notices={kase.securityNotices} />
      <div className="columns">
        <Overview kase={kase} />
        <StatusPanel kase={kase} onChanged={setKase} />
      </div>
      {/* The crisis log does not exist for members outside the crisis team (the API answers 404). */}
      {crisisTeam && (
        <div id="case-crisis">
          <CrisisLog caseId={kase.id} />
        </div>
      )}
      <CaseWork kase={kase} />
      <HitsSection caseId={kase.id} />
      <MessagesSection caseId={kase.id} />
      <TeamPanel kase={kase} />
    </>
  );
}

/** "On this page": the case page is long; its sections are a keystroke away. */
function CaseSections({ crisisTeam }: { crisisTeam: boolean }) {
  const { t } = useTranslation();
  const links = [
    ...(crisisTeam ? [["case-crisis", "crisis.title"]] : []),
    ["case-persons", "persons.title"],
    ["case-rescue", "rescue.title"],
    ["case-prosecution", "charges.title"],
    ["case-records", "records.title"],
    ["case-attachments", "attachments.title"],
    ["case-hits", "hits.title"],
    ["case-messages", "caseMessages.title"],
    ["case-team", "team.title"],
  ];
  return (
    <nav className="case-sections" aria-label={t("case.onThisPage")}>
      <span className="muted small">{t("case.onThisPage")}:</span>
      <ul>
        {links.map(([id, key]) => (
          <li key={id}>
            <a href={`#${id}`}>{t(key ?? "")}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The people and the other records of the case, read once and shared by their sections. */
function CaseWork({ kase }: { kase: CaseView }) {
  const data = useCaseData(kase.id);
  const persons = data.persons ?? [];
  const records = data.records;
  return (
    <>
      <PersonsSection
        caseId={kase.id}
        persons={data.persons}
        problem={data.personsProblem}
        onAdded={data.addPerson}
      />
      <RescueSection kase={kase} rescues={records?.rescues ?? null} onRecords={data.updateRecords} />
      <ProsecutionSection
        caseId={kase.id}
        charges={records?.charges ?? null}
        persons={persons}
        onRecords={data.updateRecords}
        canWrite={may(kase, "case.prosecution")}
      />
      <RecordsSections
        caseId={kase.id}
        records={records}
        persons={persons}
        problem={data.recordsProblem}
        onRecords={data.updateRecords}
      />
      <AttachmentsSection
        caseId={kase.id}
        attachments={records?.attachments ?? null}
        onRecords={data.updateRecords}
      />
    </>
  );
}

function CaseHeader({ kase }: { kase: CaseView }) {
  const { t } = useTranslation();
  return (
    <header className="case-header">
      <p className="case-eyebrow">
        <span className="case-reference" dir="ltr" data-testid="case-reference">
          {kase.reference}
        </span>
        <span className="badges">
          <CaseStatusBadge status={kase.status} testId="case-status" />
          {kase.outcome && (
            <span className="badge badge-off" data-testid="case-outcome">
              {t(`outcome.${kase.outcome}`)}
            </span>
          )}
          <TlpBadge tlp={kase.tlp} />
        </span>
      </p>
      <PageTitle isolate>{kase.title}</PageTitle>
      <div
        className="case-classification"
        data-testid="case-classification"
        data-iccs={kase.classification.iccs ?? "none"}
      >
        <p>
          <span className="muted">{t("case.classification")}: </span>
          <ClassificationLine classification={kase.classification} />{" "}
          <span className={`badge ${kase.classification.kidnapping ? "badge-alarm" : "badge-off"}`}>
            {kase.classification.kidnapping
              ? t("classification.isKidnapping")
              : t("classification.notKidnapping")}
          </span>
        </p>
        <details className="reasons-details">
          <summary>{t("classification.reasons")}</summary>
          <ClassificationReasons reasons={kase.classification.reasons} />
        </details>
      </div>
    </header>
  );
}

const yesNo = (t: TFunction, v: unknown) =>
  v === true ? t("common.yes") : v === false ? t("common.no") : t("common.unknown");

function Overview({ kase }: { kase: CaseView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const el = kase.elements;
  const age = typeof el.victimAgeYears === "number" ? String(el.victimAgeYears) : t("common.unknown");
  const { place } = kase;
  return (
    <section className="panel" aria-labelledby="case-overview-title">
      <h2 id="case-overview-title">{t("case.overview")}</h2>
      <dl className="details">
        <dt>{t("case.occurredAt")}</dt>
        <dd>{format.dateTime(kase.occurredAt, t("common.unknown"))}</dd>
        <dt>{t("case.reportedAt")}</dt>
        <dd>{format.dateTime(kase.reportedAt)}</dd>
        <dt>{t("case.place")}</dt>
        <dd>
          <span dir="ltr">{place.country}</span>
          {place.region && (
            <>
              {t("common.listSeparator")}
              <span dir="auto">{place.region}</span>
            </>
          )}
          {place.latitude !== null && place.longitude !== null && (
            <span className="block muted small" dir="ltr">
              {place.latitude}, {place.longitude}
            </span>
          )}
        </dd>
        <dt>{t("case.myRole")}</dt>
        <dd>{t(`caseRole.${kase.myRole}`)}</dd>
        <dt>{t("case.handling")}</dt>
        <dd>
          <TlpBadge tlp={kase.tlp} /> <span dir="ltr">{kase.handling.join(" ")}</span>
        </dd>
        <dt>{t("case.updatedAt")}</dt>
        <dd>{format.dateTime(kase.updatedAt)}</dd>
      </dl>
      <h3 className="subsection">{t("case.elements")}</h3>
      <dl className="details" data-testid="case-elements">
        <dt>{t("elements.victimDetained")}</dt>
        <dd>{yesNo(t, el.victimDetained)}</dd>
        <dt>{t("elements.againstWill")}</dt>
        <dd>{yesNo(t, el.againstWill)}</dd>
        <dt>{t("elements.victimMoved")}</dt>
        <dd>{yesNo(t, el.victimMoved)}</dd>
        <dt>{t("elements.purpose")}</dt>
        <dd>{t(`purpose.${String(el.purpose)}`, { defaultValue: String(el.purpose) })}</dd>
        <dt>{t("elements.victimAgeYears")}</dt>
        <dd>{age}</dd>
        <dt>{t("elements.takenByParentOrGuardian")}</dt>
        <dd>{yesNo(t, el.takenByParentOrGuardian)}</dd>
        <dt>{t("elements.context")}</dt>
        <dd>{t(`context.${String(el.context ?? "none")}`, { defaultValue: String(el.context) })}</dd>
      </dl>
    </section>
  );
}

// ---- Status ----------------------------------------------------------------------------------
