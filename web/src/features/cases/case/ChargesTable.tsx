/**
 * The charges of a case as a table: the person charged, the offence and its legal
 * provision, the court and the stage reached, the verdict, the sentence and any
 * appeal; each with the button that records it as it stands now.
 */
import { useTranslation } from "react-i18next";
import type { ChargeBody, ChargeView, PersonView } from "../../../api.ts";
import { formatMoney, useFormat } from "../../../format.ts";
import { Missing } from "./common.tsx";

type Verdict = NonNullable<ChargeBody["verdict"]>;

const VERDICT_CLASS: Record<Verdict, string> = {
  convicted: "badge-alarm",
  acquitted: "badge-off",
  dismissed: "badge-off",
  other: "badge-info",
};

export function ChargesTable({
  charges,
  persons,
  onEdit,
}: {
  charges: ChargeView[];
  persons: PersonView[];
  /** Absent for someone who may read the charges but not write them. */
  onEdit?: ((c: ChargeView) => void) | undefined;
}) {
  const { t, i18n } = useTranslation();
  const format = useFormat();
  const nameOf = new Map(persons.map((p) => [p.id, p.displayName]));
  return (
    <div className="table-scroll">
      <table className="data-table wrap-head" data-testid="charges-table">
        <caption className="visually-hidden">{t("charges.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("charges.offence")}</th>
            <th scope="col">{t("charges.accused")}</th>
            <th scope="col">{t("charges.court")}</th>
            <th scope="col">{t("charges.stage")}</th>
            <th scope="col">{t("charges.verdict")}</th>
            <th scope="col">{t("charges.sentence")}</th>
            <th scope="col">{t("charges.appeal")}</th>
            {onEdit && <th scope="col">{t("common.actions")}</th>}
          </tr>
        </thead>
        <tbody>
          {charges.map((c) => (
            <tr key={c.id} data-testid="charge-row" data-stage={c.stage} data-verdict={c.verdict ?? ""}>
              <td>
                <span dir="auto" className="strong block">
                  {c.offence}
                </span>
                <span dir="auto" className="muted small">
                  {c.legalProvision}
                </span>
              </td>
              <td>
                {c.personId ? (
                  <bdi>{nameOf.get(c.personId) ?? t("charges.unknownPerson")}</bdi>
                ) : (
                  <Missing>{t("charges.noAccused")}</Missing>
                )}
              </td>
              <td>
                {c.court ? <span dir="auto">{c.court}</span> : <Missing>—</Missing>}
                {c.courtCaseNumber && (
                  <code className="block small" dir="ltr">
                    {c.courtCaseNumber}
                  </code>
                )}
              </td>
              <td>
                <span className="badge badge-info">{t(`stage.${c.stage}`)}</span>
                <span className="block small muted">
                  {t("charges.updatedAt")}: {format.dateTime(c.updatedAt)}
                </span>
              </td>
              <td>
                {c.verdict ? (
                  <>
                    <span className={`badge ${VERDICT_CLASS[c.verdict]}`}>{t(`verdict.${c.verdict}`)}</span>
                    {c.verdictDate && <span className="block small muted">{format.date(c.verdictDate)}</span>}
                  </>
                ) : (
                  <Missing>{t("charges.noVerdict")}</Missing>
                )}
              </td>
              <td>
                {c.sentence ? (
                  <ul className="plain-list small">
                    {c.sentence.life && <li>{t("charges.lifeSentence")}</li>}
                    {c.sentence.custodialMonths !== undefined && (
                      <li>{t("charges.monthsValue", { n: format.number(c.sentence.custodialMonths) })}</li>
                    )}
                    {c.sentence.fine && (
                      <li>
                        {t("charges.fineValue", {
                          amount: formatMoney(i18n.language, c.sentence.fine.value, c.sentence.fine.currency),
                        })}
                      </li>
                    )}
                    {c.sentence.text && <li dir="auto">{c.sentence.text}</li>}
                  </ul>
                ) : (
                  <Missing>—</Missing>
                )}
              </td>
              <td>{c.appeal === "none" ? <Missing>{t("appeal.none")}</Missing> : t(`appeal.${c.appeal}`)}</td>
              {onEdit && (
                <td>
                  <button
                    type="button"
                    className="button button-secondary button-small"
                    data-testid="charge-edit"
                    onClick={() => onEdit(c)}
                  >
                    {t("charges.edit")}
                    <span className="visually-hidden"> {c.offence}</span>
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
