/**
 * The annual returns the Secretariat received (accepted or rejected, with the reason),
 * followed by the legal situation their questionnaires describe.
 */
import { useTranslation } from "react-i18next";
import type { ReceivedReturn } from "../../../api.ts";
import { useFormat } from "../../../format.ts";
import { LegalSituation } from "./LegalSituation.tsx";

export function ReceivedSection({ received }: { received: ReceivedReturn[] | null }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <section className="section" aria-labelledby="report-received-title">
      <h2 id="report-received-title">{t("report.receivedTitle")}</h2>
      {received === null ? (
        <p className="muted">{t("common.loading")}</p>
      ) : received.length === 0 ? (
        <p className="empty-note" data-testid="report-received-none">
          {t("report.noneReceived")}
        </p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table" data-testid="report-received">
              <caption className="visually-hidden">{t("report.receivedTitle")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("report.sender")}</th>
                  <th scope="col">{t("report.year")}</th>
                  <th scope="col" className="numeric">
                    {t("report.revision")}
                  </th>
                  <th scope="col">{t("report.receivedAt")}</th>
                  <th scope="col">{t("report.status")}</th>
                  <th scope="col" className="numeric">
                    {t("report.observations")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {received.map((r) => (
                  <tr
                    key={r.messageId}
                    data-testid="report-received-row"
                    data-sender={r.sender}
                    data-year={r.year}
                    data-status={r.status}
                  >
                    <th scope="row">
                      <bdi className="peer-id">{r.sender}</bdi>
                    </th>
                    <td>{r.year}</td>
                    <td className="numeric">{format.number(r.revision)}</td>
                    <td>{format.dateTime(r.receivedAt)}</td>
                    <td>
                      <span className={`badge ${r.status === "accepted" ? "badge-ok" : "badge-alarm"}`}>
                        {t(`report.receivedStatus.${r.status}`)}
                      </span>
                      {r.reason && (
                        <span className="block small" dir="auto">
                          {r.reason}
                        </span>
                      )}
                    </td>
                    <td className="numeric">{format.number(r.observations)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <LegalSituation received={received} />
        </>
      )}
    </section>
  );
}
