/**
 * The tables of an annual return, computed from the node's cases (computed again on
 * request while it is a draft); a withheld cell (small-cell suppression) is said so.
 */
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type ApiProblem, api, type ReturnView, run, type StatTable } from "../../../api.ts";
import { ProblemAlert, StatusMessage } from "../../../components/form/index.ts";
import { useFormat } from "../../../format.ts";
import { categoryLabel, dimLabel, tableTitle } from "../common.tsx";

export function TablesSection({ ret, onChange }: { ret: ReturnView; onChange: (r: ReturnView) => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const recompute = async () => {
    setBusy(true);
    setDone(null);
    const r = await run(
      api.PATCH("/api/statistics/returns/{id}", {
        params: { path: { id: ret.id } },
        body: { recompute: true },
      }),
    );
    setBusy(false);
    if (r.ok) {
      onChange(r.data);
      setProblem(null);
      setDone(t("returns.recomputed"));
    } else setProblem(r.problem);
  };

  return (
    <section className="section" id="return-tables" aria-labelledby="return-tables-title">
      <div className="section-head">
        <h2 id="return-tables-title">{t("returns.tablesTitle")}</h2>
        {ret.status === "draft" && (
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void recompute()}
            disabled={busy}
            data-testid="return-recompute"
          >
            {busy ? t("returns.computing") : t("returns.recompute")}
          </button>
        )}
      </div>
      <p className="muted">
        {t("returns.tablesIntro", { year: ret.year, at: format.dateTime(ret.computedAt) })}
      </p>
      <ProblemAlert problem={problem} />
      <StatusMessage message={done} />
      <div className="stats-grid" data-testid="return-tables">
        {ret.tables.map((table) => (
          <ReturnTable key={table.id} table={table} />
        ))}
      </div>
    </section>
  );
}

function ReturnTable({ table }: { table: StatTable }) {
  const { t } = useTranslation();
  const format = useFormat();
  const headingId = `return-table-${table.id}`;
  const amount = table.measure === "ransom_amount_demanded";
  const value = (n: number) =>
    amount ? new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(n) : format.number(n);
  return (
    <section
      className={`panel${table.dims.length > 1 ? " return-table-wide" : ""}`}
      aria-labelledby={headingId}
      data-testid="return-table"
      data-table={table.id}
    >
      <h3 id={headingId}>{tableTitle(t, table)}</h3>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region is reached by keyboard */}
      <div className="table-scroll" tabIndex={0}>
        <table className="data-table">
          <thead>
            <tr>
              {table.dims.map((d) => (
                <th scope="col" key={d}>
                  {dimLabel(t, d)}
                </th>
              ))}
              <th scope="col" className="numeric">
                {t(`returns.measure.${table.measure}`, { defaultValue: table.measure })}
              </th>
            </tr>
          </thead>
          <tbody>
            {table.cells.length === 0 && (
              <tr>
                <td colSpan={table.dims.length + 1} className="empty">
                  {t("returns.noCells")}
                </td>
              </tr>
            )}
            {table.cells.map((c) => (
              <tr key={c.key.join("|")}>
                {c.key.map((k, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a key's parts are positional
                  <td key={i} dir="auto">
                    {categoryLabel(t, table.dims[i] ?? "", k)}
                  </td>
                ))}
                <td className="numeric">
                  {c.value === null ? (
                    <span className="muted" data-testid="return-withheld">
                      {t("returns.withheld")}
                    </span>
                  ) : (
                    value(c.value)
                  )}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" className="total-cell" colSpan={Math.max(1, table.dims.length)}>
                {t("returns.total")}
              </th>
              <td className="total-cell numeric" data-testid="return-table-total">
                {value(table.total)}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
