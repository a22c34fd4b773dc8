/**
 * The world map of the report's last year: each country shaded by its rate (the
 * classes of the PDF), grey where there is no figure, with its legend.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, run, type WorldMap } from "../../../api.ts";
import { useRate } from "./numbers.ts";

/** Light to dark, as in the PDF (ColorBrewer Reds); grey: no figure. */
const MAP_COLOURS = ["#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15"];
const NO_FIGURE = "#e4e4e4";

export function MapSection({ period }: { period: { from: number; to: number } }) {
  const { t } = useTranslation();
  const rate = useRate();
  const [map, setMap] = useState<WorldMap | null>(null);
  useEffect(() => {
    let cancelled = false;
    setMap(null);
    void (async () => {
      const r = await run(api.GET("/api/statistics/map", { params: { query: period } }));
      if (!cancelled && r.ok) setMap(r.data);
    })();
    return () => {
      cancelled = true;
    };
  }, [period]);
  if (!map) return null;
  const withRate = map.areas.filter((a) => a.rate !== null).length;
  const legend = [
    `< ${rate(map.breaks[0] ?? 0)}`,
    ...map.breaks.slice(1).map((b, i) => `${rate(map.breaks[i] ?? 0)} – ${rate(b)}`),
    `≥ ${rate(map.breaks.at(-1) ?? 0)}`,
  ];
  return (
    <section className="section" aria-labelledby="report-map-title">
      <h2 id="report-map-title">{t("report.mapTitle", { year: map.year })}</h2>
      <figure className="panel report-map" data-testid="report-map">
        <svg
          viewBox={`0 0 ${map.width} ${map.height}`}
          role="img"
          aria-label={t("report.mapLabel", { year: map.year, n: withRate })}
        >
          {map.areas.map((a) => (
            <path
              key={`${a.area}-${a.name}`}
              d={a.d}
              fill={a.rateClass === null ? NO_FIGURE : MAP_COLOURS[a.rateClass]}
              data-area={a.area}
              data-class={a.rateClass ?? ""}
            >
              <title>
                {a.rate === null ? `${a.name}: ${t("report.mapNoFigure")}` : `${a.name}: ${rate(a.rate)}`}
              </title>
            </path>
          ))}
        </svg>
        <figcaption>
          <ul className="map-legend">
            {legend.map((label, i) => (
              <li key={label} className="map-legend-item">
                <span className="map-swatch" style={{ background: MAP_COLOURS[i] }} aria-hidden="true" />
                <span dir="ltr">{label}</span>
              </li>
            ))}
            <li className="map-legend-item">
              <span className="map-swatch" style={{ background: NO_FIGURE }} aria-hidden="true" />
              {t("report.mapNoFigure")}
            </li>
          </ul>
          <p className="muted small">{t("report.mapNote")}</p>
        </figcaption>
      </figure>
    </section>
  );
}
