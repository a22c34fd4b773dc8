/**
 * Putting a colleague on a case's team (the lead): search colleagues by name (at
 * least two characters, a moment after typing stops), pick one, and give their role.
 */
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  type CaseRole,
  type Colleague,
  forFields,
  run,
  type TeamMember,
} from "../../../api.ts";
import {
  FieldGroup,
  ProblemAlert,
  SelectField,
  StatusMessage,
  TextField,
} from "../../../components/form/index.ts";
import { ALL_CASE_ROLES } from "../../../constants.ts";
import { splitUserIdError } from "./common.tsx";

/** Colleagues matching what the lead types (at least two characters), a moment after typing stops. */
function useColleagueSearch(query: string, enabled: boolean) {
  const [results, setResults] = useState<Colleague[] | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [searching, setSearching] = useState(false);
  const q = query.trim();
  useEffect(() => {
    if (!enabled || q.length < 2) {
      setResults(null);
      setProblem(null);
      setSearching(false);
      return;
    }
    let cancelled = false;
    setSearching(true);
    const timer = window.setTimeout(async () => {
      const r = await run(api.GET("/api/colleagues", { params: { query: { q } } }));
      if (cancelled) return;
      setSearching(false);
      if (r.ok) {
        setResults(r.data.colleagues);
        setProblem(null);
      } else {
        setResults(null);
        setProblem(r.problem);
      }
    }, 250);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
  }, [q, enabled]);
  return { results, problem, searching };
}

export function AddMember({
  caseId,
  team,
  onAdded,
}: {
  caseId: string;
  team: TeamMember[];
  onAdded: (team: TeamMember[]) => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState("");
  const [picked, setPicked] = useState<Colleague | null>(null);
  const [caseRole, setCaseRole] = useState<CaseRole>("member");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [userIdError, setUserIdError] = useState<string | undefined>();
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const changeRef = useRef<HTMLButtonElement>(null);
  const search = useColleagueSearch(query, picked === null);
  const onTeam = new Set(team.map((m) => m.userId));

  const pick = (c: Colleague) => {
    setPicked(c);
    setUserIdError(undefined);
    setProblem(null);
    window.setTimeout(() => changeRef.current?.focus(), 0);
  };
  const unpick = () => {
    setPicked(null);
    window.setTimeout(() => searchRef.current?.focus(), 0);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setUserIdError(undefined);
    setDone(null);
    if (!picked) {
      setUserIdError(t("team.pickFirst"));
      return;
    }
    setBusy(true);
    const r = await run(
      api.PUT("/api/cases/{id}/team/{userId}", {
        params: { path: { id: caseId, userId: picked.userId } },
        body: { caseRole },
      }),
    );
    setBusy(false);
    if (!r.ok) {
      const split = splitUserIdError(forFields(r.problem, ["caseRole"]));
      setProblem(split.problem);
      setUserIdError(split.userId);
      return;
    }
    onAdded(r.data.team);
    const added = r.data.team.find((m) => m.userId === picked.userId);
    setDone(
      t("team.added", {
        name: added?.displayName ?? picked.displayName,
        role: t(`caseRole.${added?.caseRole ?? caseRole}`),
      }),
    );
    setPicked(null);
    setQuery("");
    setCaseRole("member");
  };

  const results = search.results;
  const status = search.searching
    ? t("team.searching")
    : results === null
      ? ""
      : results.length === 0
        ? t("team.noColleague")
        : t("team.colleaguesFound", { n: results.length });

  return (
    <div className="subsection">
      <h3>{t("team.addTitle")}</h3>
      <p className="muted small">{t("team.addIntro")}</p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <form onSubmit={(e) => void submit(e)} noValidate className="form-grid">
        {picked ? (
          <FieldGroup
            variant="field"
            className="picked-field"
            legend={t("team.colleague")}
            error={userIdError}
          >
            <div className="picked" data-testid="team-picked">
              <span>
                <bdi className="strong">{picked.displayName}</bdi>{" "}
                <code dir="ltr" className="muted">
                  {picked.username}
                </code>
                <span className="block small muted">
                  {picked.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}
                </span>
              </span>
              <button
                type="button"
                ref={changeRef}
                className="button button-secondary button-small"
                onClick={unpick}
                data-testid="team-unpick"
              >
                {t("team.pickAnother")}
              </button>
            </div>
          </FieldGroup>
        ) : (
          <TextField
            type="search"
            label={t("team.search")}
            hint={t("team.searchHint")}
            value={query}
            onChange={setQuery}
            inputRef={searchRef}
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            dir="auto"
            error={userIdError}
            testId="team-search"
          />
        )}
        <SelectField
          label={t("team.caseRole")}
          value={caseRole}
          onChange={(v) => setCaseRole(ALL_CASE_ROLES.find((r) => r === v) ?? "member")}
          options={ALL_CASE_ROLES.map((r) => ({
            value: r,
            label: t(`caseRole.${r}`),
          }))}
          hint={t("team.caseRoleHint")}
          error={problem?.fields.caseRole}
          testId="team-add-role"
        />
        {!picked && (
          <div className="form-grid-wide">
            <p className="muted small live-line" aria-live="polite" data-testid="colleague-status">
              {status}
            </p>
            <ProblemAlert problem={search.problem} />
            {results && results.length > 0 && (
              <ul
                className="colleague-results"
                data-testid="colleague-results"
                aria-label={t("team.results")}
              >
                {results.map((c) => {
                  const already = onTeam.has(c.userId);
                  return (
                    <li key={c.userId}>
                      <button
                        type="button"
                        className="colleague-option"
                        disabled={already}
                        data-testid={`colleague-option-${c.username}`}
                        onClick={() => pick(c)}
                      >
                        <span>
                          <bdi className="strong">{c.displayName}</bdi>{" "}
                          <code dir="ltr" className="muted">
                            {c.username}
                          </code>
                        </span>
                        <span className="small muted">
                          {already
                            ? t("team.alreadyOnTeam")
                            : c.roles.map((r) => t(`roles.${r}`)).join(t("common.listSeparator"))}
                        </span>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
        <div className="form-grid-wide">
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="team-add-submit"
          >
            {busy ? t("common.saving") : t("team.addSubmit")}
          </button>
        </div>
      </form>
    </div>
  );
}
