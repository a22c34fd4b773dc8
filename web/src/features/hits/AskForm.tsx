/**
 * Asking partner nodes about a case's persons and selectors: the items to ask about
 * (those the node would refuse are said why), every active partner or those chosen,
 * and the purpose and legal basis of the question.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import {
  type ApiProblem,
  api,
  forFields,
  type HitItem,
  type HitQuery,
  type HitQueryBody,
  run,
} from "../../api.ts";
import { partnerLabel } from "../../components/Federation.tsx";
import {
  CheckboxGroup,
  FieldGroup,
  fieldErrors,
  localProblem,
  ProblemAlert,
  RadioOptions,
  StatusMessage,
  TextAreaField,
} from "../../components/form/index.ts";
import { useSignedIn } from "../../session.tsx";
import { usePartners } from "../messages/partners.tsx";
import { hitMessage, ItemLabel } from "./hitText.tsx";

export function AskForm({ caseId, onAsked }: { caseId: string; onAsked: (q: HitQuery) => void }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const base = `h${useId().replace(/:/g, "")}`;
  const [open, setOpen] = useState(false);
  const [items, setItems] = useState<HitItem[] | null>(null);
  const [itemsProblem, setItemsProblem] = useState<ApiProblem | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [mode, setMode] = useState<"all" | "chosen">("all");
  const [chosen, setChosen] = useState<string[]>([]);
  const [purpose, setPurpose] = useState("");
  const [legalBasis, setLegalBasis] = useState("");
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [sent, setSent] = useState<HitQuery | null>(null);
  const [busy, setBusy] = useState(false);
  const exchange = session.can("federation.exchange");
  const loaded = useRef(0);

  // The items are read when the form is opened (and again at each opening: persons may have been added).
  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    const n = ++loaded.current;
    void (async () => {
      const r = await run(api.GET("/api/cases/{id}/hit-items", { params: { path: { id: caseId } } }));
      if (cancelled || n !== loaded.current) return;
      if (r.ok) {
        setItems(r.data.items);
        setItemsProblem(null);
        const askable = new Set(r.data.items.filter((i) => !i.refusal).map((i) => i.key));
        setSelected((prev) => prev.filter((k) => askable.has(k)));
      } else setItemsProblem(r.problem);
    })();
    return () => {
      cancelled = true;
    };
  }, [open, caseId]);

  const toggle = (key: string, on: boolean) =>
    setSelected((prev) => (on ? [...prev.filter((k) => k !== key), key] : prev.filter((k) => k !== key)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    setSent(null);
    const fields: Record<string, string> = {};
    if (selected.length === 0) fields.items = t("hits.errors.noItem");
    if (exchange && mode === "chosen" && chosen.length === 0) fields.peers = t("hits.errors.noPeer");
    if (!purpose.trim()) fields.purpose = "must not be empty";
    if (!legalBasis.trim()) fields.legalBasis = "must not be empty";
    if (Object.keys(fields).length > 0) {
      setProblem(localProblem(fields));
      return;
    }
    const body: HitQueryBody = {
      items: selected,
      peers: exchange && mode === "chosen" ? chosen : "all",
      purpose: purpose.trim(),
      legalBasis: legalBasis.trim(),
    };
    setBusy(true);
    const r = await run(api.POST("/api/cases/{id}/hit-queries", { params: { path: { id: caseId } }, body }));
    setBusy(false);
    if (!r.ok) {
      const p = forFields(r.problem, ["items", "peers", "purpose", "legalBasis"]);
      // An item or a peer refused by index: said with its name.
      const named = (prefix: "items" | "peers", list: readonly string[], label: (v: string) => string) => {
        for (const [name, message] of Object.entries(r.problem.fields)) {
          const m = new RegExp(`^${prefix}\\.(\\d+)$`).exec(name);
          const v = m ? list[Number(m[1])] : undefined;
          if (v !== undefined) return `${label(v)}: ${hitMessage(t, message)}`;
        }
        return p.fields[prefix] ? hitMessage(t, p.fields[prefix]) : undefined;
      };
      const itemError = named("items", selected, (k) => items?.find((i) => i.key === k)?.label ?? k);
      const peerError = named("peers", Array.isArray(body.peers) ? body.peers : [], (n) => n);
      setProblem({
        ...p,
        fields: {
          ...p.fields,
          ...(itemError ? { items: itemError } : {}),
          ...(peerError ? { peers: peerError } : {}),
        },
      });
      return;
    }
    onAsked(r.data);
    setSelected([]);
    setSent(r.data);
  };

  const persons = (items ?? []).filter((i) => i.type === "person");
  const selectors = (items ?? []).filter((i) => i.type !== "person");
  const err = fieldErrors(problem);

  return (
    <details
      className="add-form"
      data-testid="hit-ask"
      open={open}
      onToggle={(e) => setOpen((e.currentTarget as HTMLDetailsElement).open)}
    >
      <summary data-testid="hit-ask-toggle">{t("hits.askTitle")}</summary>
      <div className="add-form-body">
        <StatusMessage
          message={
            sent &&
            t("hits.asked", {
              items: sent.items.length,
              peers: sent.answers.map((a) => a.peer).join(t("common.listSeparator")),
            })
          }
        />
        <ProblemAlert problem={problem} />
        <form
          onSubmit={(e) => void submit(e)}
          noValidate
          className="stack compact-form"
          data-testid="hit-form"
        >
          <FieldGroup
            variant="choices"
            legend={t("hits.itemsLegend")}
            hint={t("hits.itemsHint")}
            error={err("items")}
            errorTestId="hit-items-error"
            testId="hit-items"
          >
            <ProblemAlert problem={itemsProblem} />
            {items === null ? (
              !itemsProblem && <p className="muted">{t("common.loading")}</p>
            ) : items.length === 0 ? (
              <p className="empty-note" data-testid="hit-no-items">
                {t("hits.noItems")}
              </p>
            ) : (
              <>
                <ItemGroup
                  title={t("hits.persons")}
                  items={persons}
                  selected={selected}
                  onToggle={toggle}
                  base={`${base}-p`}
                />
                <ItemGroup
                  title={t("hits.selectors")}
                  items={selectors}
                  selected={selected}
                  onToggle={toggle}
                  base={`${base}-s`}
                />
              </>
            )}
          </FieldGroup>

          <FieldGroup
            variant="choices"
            legend={t("hits.peersLegend")}
            error={err("peers")}
            errorTestId="hit-peers-error"
            testId="hit-peers"
          >
            {exchange ? (
              <PeerChoice mode={mode} onMode={setMode} chosen={chosen} onChosen={setChosen} />
            ) : (
              <p className="field-hint" data-testid="hit-peers-all-only">
                {t("hits.allPartnersOnly")}
              </p>
            )}
          </FieldGroup>

          <div className="form-grid form-grid-2">
            <TextAreaField
              label={t("hits.purpose")}
              hint={t("hits.purposeHint")}
              value={purpose}
              onChange={setPurpose}
              dir="auto"
              required
              rows={2}
              error={err("purpose")}
              testId="hit-purpose"
            />
            <TextAreaField
              label={t("hits.legalBasis")}
              hint={t("hits.legalBasisHint")}
              value={legalBasis}
              onChange={setLegalBasis}
              dir="auto"
              required
              rows={2}
              error={err("legalBasis")}
              testId="hit-legal-basis"
            />
          </div>
          <div>
            <button type="submit" className="button button-primary" disabled={busy} data-testid="hit-submit">
              {busy ? t("hits.asking") : t("hits.submit")}
            </button>
          </div>
        </form>
      </div>
    </details>
  );
}

function ItemGroup({
  title,
  items,
  selected,
  onToggle,
  base,
}: {
  title: string;
  items: HitItem[];
  selected: readonly string[];
  onToggle: (key: string, on: boolean) => void;
  base: string;
}) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <div className="hit-item-group">
      <h4 className="hit-item-group-title">{title}</h4>
      <ul className="plain-list hit-item-list">
        {items.map((item, i) => {
          const id = `${base}-${i}`;
          return (
            <li key={item.key} className="checkbox" data-refused={item.refusal ? "true" : undefined}>
              <input
                type="checkbox"
                id={id}
                checked={selected.includes(item.key)}
                disabled={item.refusal !== null}
                aria-describedby={item.refusal ? `${id}-refusal` : undefined}
                data-testid={`hit-item-${item.key}`}
                onChange={(e) => onToggle(item.key, e.target.checked)}
              />
              <label htmlFor={id}>
                <ItemLabel label={item.label} />
                {item.type === "person" && item.role && (
                  <>
                    {" "}
                    <span className="badge badge-off" data-role={item.role}>
                      {t(`personRole.${item.role}`)}
                    </span>
                  </>
                )}
                {item.type !== "person" && (
                  <>
                    {" "}
                    <span className="badge badge-off">{t(`hits.itemType.${item.type}`)}</span>
                  </>
                )}
                {item.refusal && (
                  <span className="block small hit-refusal" id={`${id}-refusal`}>
                    {hitMessage(t, item.refusal)}
                  </span>
                )}
              </label>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** Every active partner, or those chosen (the partners' list needs federation.exchange). */
function PeerChoice({
  mode,
  onMode,
  chosen,
  onChosen,
}: {
  mode: "all" | "chosen";
  onMode: (m: "all" | "chosen") => void;
  chosen: string[];
  onChosen: (c: string[]) => void;
}) {
  const { t } = useTranslation();
  const { partners, problem } = usePartners();
  const active = (partners ?? []).filter((p) => p.status === "active");
  return (
    <>
      <RadioOptions
        options={[
          { value: "all", label: t("hits.allPartners"), testId: "hit-peers-all" },
          { value: "chosen", label: t("hits.chosenPartners"), testId: "hit-peers-chosen" },
        ]}
        value={mode}
        onChange={onMode}
      />
      {mode === "chosen" &&
        (partners === null ? (
          problem ? (
            <ProblemAlert problem={problem} />
          ) : (
            <p className="muted">{t("common.loading")}</p>
          )
        ) : active.length > 0 ? (
          <CheckboxGroup
            legend={t("hits.activePartners")}
            options={active.map((p) => ({ value: p.nodeId, label: partnerLabel(p) }))}
            selected={chosen}
            onChange={onChosen}
            testIdPrefix="hit-peer-"
          />
        ) : (
          <p className="field-hint" data-testid="hit-no-partners">
            {t("hits.noActivePartners")}
          </p>
        ))}
    </>
  );
}
