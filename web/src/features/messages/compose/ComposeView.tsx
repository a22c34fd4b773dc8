/**
 * Composing a message to peer nodes: a notice about an abducted or a wanted
 * person (with a sketch of the person), a modus-operandi notice, a ransom watch
 * (banknote serial ranges, accounts, wallets, phones) or a request for
 * information; its recipients, its TLP marking and handling codes, and
 * optionally the local case it is about (never sent). The node validates the
 * body against the type's schema and says which field it refused.
 *
 * The body of each type has its own form (NoticeFields, ModusOperandiFields,
 * RansomWatchFields, InfoRequestFields); draft.ts turns the draft into the request.
 */
import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { type ApiProblem, api, type CaseView, forFields, run } from "../../../api.ts";
import {
  FieldGroup,
  fieldErrors,
  localProblem,
  ProblemAlert,
  SelectField,
  StatusMessage,
} from "../../../components/form/index.ts";
import { COMPOSE_TYPES, MESSAGE_TYPE_KEYS } from "../../../constants.ts";
import { useSignedIn } from "../../../session.tsx";
import type { BodyFormProps } from "./BodyFields.tsx";
import { buildMessage, type Draft, EMPTY, isNotice, knownFields, type PersonDraft } from "./draft.ts";
import { InfoRequestFields } from "./InfoRequestFields.tsx";
import { MarkingFields } from "./MarkingFields.tsx";
import { ModusOperandiFields } from "./ModusOperandiFields.tsx";
import { NoticeFields } from "./NoticeFields.tsx";
import { RansomWatchFields } from "./RansomWatchFields.tsx";
import { RecipientsFields } from "./RecipientsFields.tsx";

export function ComposeView() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [d, setD] = useState<Draft>(EMPTY);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [cases, setCases] = useState<CaseView[]>([]);

  const canWorkCases = session.can("cases.work");
  // From a case page (?case=<id>): the message is about that case, with its marking.
  const [searchParams] = useSearchParams();
  const fromCase = searchParams.get("case");
  // linkCase only reads its arguments and sets state: the cases are read once per case asked for.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    if (!canWorkCases) return;
    void (async () => {
      const r = await run(api.GET("/api/cases", { params: { query: { limit: 200 } } }));
      if (!r.ok) return;
      setCases(r.data.cases);
      if (fromCase && r.data.cases.some((c) => c.id === fromCase)) linkCase(fromCase, r.data.cases);
    })();
  }, [canWorkCases, fromCase]);

  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setD((prev) => ({ ...prev, [key]: value }));
  const changePerson = (patch: Partial<PersonDraft>) =>
    setD((prev) => ({ ...prev, person: { ...prev.person, ...patch } }));
  const err = fieldErrors(problem);

  const linkCase = (id: string, list: CaseView[] = cases) => {
    const kase = list.find((c) => c.id === id);
    setD((prev) => ({
      ...prev,
      caseId: id,
      ...(kase
        ? {
            caseReference: prev.caseReference || kase.reference,
            tlp: kase.tlp,
            handling: [...kase.handling],
          }
        : {}),
    }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setDone(null);
    const to = d.mode === "all" ? "all" : [...new Set(d.chosen)];
    if (to !== "all" && to.length === 0) {
      setProblem(localProblem({ to: t("fieldErrors.chooseRecipient") }));
      return;
    }
    const built = buildMessage(d, to);
    if (!built.ok) {
      setProblem(localProblem(built.fields));
      return;
    }
    const body = built.value;
    setBusy(true);
    const r = await run(api.POST("/api/federation/messages", { body }));
    setBusy(false);
    if (!r.ok) {
      setProblem(forFields(r.problem, knownFields(d)));
      return;
    }
    const nodes = r.data.messages.map((m) => m.recipient);
    setDone(
      t("exchange.compose.sent", {
        type: t(`messageType.${MESSAGE_TYPE_KEYS[d.type] ?? "infoRequest"}`),
        nodes: nodes.join(t("common.listSeparator")),
      }),
    );
    setD((prev) => ({ ...EMPTY, type: prev.type, mode: prev.mode, chosen: prev.chosen }));
  };

  const body: BodyFormProps = { d, set, err };

  return (
    <section className="section compose" aria-labelledby="compose-title">
      <h2 id="compose-title">{t("exchange.compose.title")}</h2>
      <p className="muted">{t("exchange.compose.intro")}</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="stack">
        <FieldGroup variant="panel" className="form-grid" legend={t("exchange.compose.messageSection")}>
          <SelectField
            label={t("exchange.compose.type")}
            hint={t(`exchange.typeHint.${MESSAGE_TYPE_KEYS[d.type] ?? "infoRequest"}`)}
            value={d.type}
            onChange={(v) => set("type")(COMPOSE_TYPES.find((x) => x === v) ?? "notice.abducted-person")}
            options={COMPOSE_TYPES.map((x) => ({
              value: x,
              label: t(`messageType.${MESSAGE_TYPE_KEYS[x]}`),
            }))}
            error={err("type", "version")}
            testId="compose-type"
          />
          {canWorkCases && (
            <SelectField
              label={t("exchange.compose.case")}
              hint={t("exchange.compose.caseHint")}
              value={d.caseId}
              onChange={linkCase}
              options={[
                { value: "", label: t("exchange.compose.noCase") },
                ...cases.map((c) => ({ value: c.id, label: `${c.reference} — ${c.title}` })),
              ]}
              error={err("caseId")}
              testId="compose-case"
            />
          )}
        </FieldGroup>

        <RecipientsFields d={d} set={set} err={err} />

        {isNotice(d.type) && <NoticeFields {...body} onPerson={changePerson} />}
        {d.type === "notice.modus-operandi" && <ModusOperandiFields {...body} />}
        {d.type === "notice.ransom-watch" && <RansomWatchFields {...body} update={setD} />}
        {d.type === "info-request" && <InfoRequestFields {...body} />}

        <MarkingFields d={d} set={set} err={err} />

        <ProblemAlert problem={problem} />
        <StatusMessage message={done} />
        {done && (
          <p>
            <Link to="/exchange/outbox" data-testid="compose-follow">
              {t("exchange.compose.follow")}
            </Link>
          </p>
        )}
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={busy}
            data-testid="compose-submit"
          >
            {busy ? t("exchange.compose.sending") : t("exchange.compose.submit")}
          </button>
        </div>
      </form>
    </section>
  );
}
