/**
 * Pieces shared by the sections of the case page: loading its persons and records,
 * compact add forms and their submitting, the team's account errors, IBANs.
 */
import { type ReactNode, useCallback, useEffect, useState } from "react";
import { type ApiProblem, api, type CaseRecords, forFields, type PersonView, run } from "../../../api.ts";
import { fieldErrors } from "../../../components/form/index.ts";

/** An IBAN in groups of four, as it is printed on statements. */
export function spacedIban(iban: string): string {
  return iban.replace(/(.{4})(?=.)/g, "$1 ");
}

export type RecordsUpdate = (update: (records: CaseRecords) => CaseRecords) => void;

/** The persons and the other records of a case, read once per page and kept up to date by the forms. */
export function useCaseData(caseId: string) {
  const [persons, setPersons] = useState<PersonView[] | null>(null);
  const [records, setRecords] = useState<CaseRecords | null>(null);
  const [personsProblem, setPersonsProblem] = useState<ApiProblem | null>(null);
  const [recordsProblem, setRecordsProblem] = useState<ApiProblem | null>(null);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const [p, r] = await Promise.all([
        run(api.GET("/api/cases/{id}/persons", { params: { path: { id: caseId } } })),
        run(api.GET("/api/cases/{id}/records", { params: { path: { id: caseId } } })),
      ]);
      if (cancelled) return;
      if (p.ok) setPersons(p.data.persons);
      else setPersonsProblem(p.problem);
      if (r.ok) setRecords(r.data);
      else setRecordsProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [caseId]);

  const addPerson = useCallback((person: PersonView) => {
    setPersons((prev) => [...(prev ?? []), person]);
  }, []);
  const updateRecords = useCallback<RecordsUpdate>((update) => {
    setRecords((prev) => (prev ? update(prev) : prev));
  }, []);

  return { persons, records, personsProblem, recordsProblem, addPerson, updateRecords };
}

/**
 * A compact add form folded under its summary (a native disclosure: keyboard and
 * screen readers know it), so that the case page stays readable.
 */
export function AddForm({
  summary,
  testId,
  children,
  defaultOpen,
}: {
  summary: string;
  testId: string;
  children: ReactNode;
  defaultOpen?: boolean;
}) {
  return (
    <details className="add-form" open={defaultOpen} data-testid={testId}>
      <summary data-testid={`${testId}-toggle`}>{summary}</summary>
      <div className="add-form-body">{children}</div>
    </details>
  );
}

/** "Not recorded" in a table cell, muted. */
export function Missing({ children }: { children: string }) {
  return <span className="muted">{children}</span>;
}

/** Submitting a small form: busy flag, the node's problem restricted to the form's fields, a success line. */
export function useSmallForm(fields: readonly string[]) {
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async <T,>(
    call: () => Promise<{ ok: true; data: T } | { ok: false; problem: ApiProblem }>,
  ) => {
    setProblem(null);
    setDone(null);
    setBusy(true);
    const r = await call();
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, fields));
      return null;
    }
    return r.data;
  };
  return { problem, done, setDone, busy, send, err: fieldErrors(problem) };
}

/** Team changes name the account in the path (`params.userId`): shown at the account field. */
export function splitUserIdError(problem: ApiProblem | null): {
  problem: ApiProblem | null;
  userId?: string;
} {
  if (!problem) return { problem };
  const hit = problem.otherFields.find((f) => f.path === "params.userId");
  if (!hit) return { problem };
  const otherFields = problem.otherFields.filter((f) => f !== hit);
  return {
    problem: { ...problem, otherFields, fields: { ...problem.fields, userId: hit.message } },
    userId: hit.message,
  };
}
