/**
 * A line over the years, with an optional band (the interquartile range), drawn as
 * inline SVG; the table beside it is its text alternative, and its label says the
 * first, the last and the highest value.
 */
import { useId } from "react";
import { useTranslation } from "react-i18next";

export interface Point {
  year: number;
  value: number | null;
  low?: number | null;
  high?: number | null;
}

/** A round step for an axis (1, 2, 2.5 or 5 times a power of ten) not below `raw`. */
function niceStep(raw: number): number {
  if (!(raw > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

const W = 560;
const H = 240;
const PAD = { top: 16, right: 16, bottom: 32, left: 64 };

/** A line over the years (with an optional band), drawn as inline SVG; the table above is its text alternative. */
export function TrendChart({
  title,
  points,
  format,
  band,
  testId,
}: {
  title: string;
  points: Point[];
  format: (n: number) => string;
  band?: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const titleId = `c${useId().replace(/:/g, "")}`;
  const known = points.filter((p): p is Point & { value: number } => p.value !== null);
  const first = points[0]?.year ?? 0;
  const last = points[points.length - 1]?.year ?? first;
  const top = Math.max(0, ...known.map((p) => p.high ?? p.value), ...known.map((p) => p.value));
  const step = niceStep(top / 4);
  const max = Math.max(step, Math.ceil(top / step) * step);
  const x = (year: number) =>
    PAD.left + (last === first ? 0.5 : (year - first) / (last - first)) * (W - PAD.left - PAD.right);
  const y = (v: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const ticks = Array.from({ length: Math.round(max / step) + 1 }, (_, i) => i * step);
  const yearStep = Math.max(1, Math.ceil((last - first + 1) / 8));

  // Runs of consecutive known years, so a missing year breaks the line rather than bridging it.
  const runs: Point[][] = [];
  let current: Point[] = [];
  for (const p of points) {
    if (p.value === null) {
      if (current.length) runs.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) runs.push(current);

  const highest = known.reduce<(typeof known)[number] | null>(
    (a, p) => (!a || p.value > a.value ? p : a),
    null,
  );
  const firstKnown = known[0];
  const lastKnown = known[known.length - 1];
  const label =
    firstKnown && lastKnown && highest
      ? t("report.chartLabel", {
          title,
          from: firstKnown.year,
          first: format(firstKnown.value),
          to: lastKnown.year,
          last: format(lastKnown.value),
          peakYear: highest.year,
          peak: format(highest.value),
        })
      : `${title}: ${t("report.none")}`;

  return (
    <figure className="report-chart panel">
      <figcaption id={titleId}>{title}</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={label}
        data-testid={testId}
        direction="ltr"
        preserveAspectRatio="xMidYMid meet"
      >
        {ticks.map((v) => (
          <g key={v}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(v)}
              y2={y(v)}
              className={v === 0 ? "chart-axis" : "chart-grid"}
            />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="chart-tick">
              {format(v)}
            </text>
          </g>
        ))}
        {points
          .filter((p) => (p.year - first) % yearStep === 0 || p.year === last)
          .map((p) => (
            <text
              key={p.year}
              x={x(p.year)}
              y={H - PAD.bottom + 18}
              textAnchor="middle"
              className="chart-tick"
            >
              {p.year}
            </text>
          ))}
        {band &&
          runs.map((run) => {
            const withBand = run.filter((p) => p.low != null && p.high != null);
            if (withBand.length < 2) return null;
            const upper = withBand.map((p) => `${x(p.year)},${y(p.high ?? 0)}`);
            const lower = [...withBand].reverse().map((p) => `${x(p.year)},${y(p.low ?? 0)}`);
            return (
              <polygon
                key={`b${run[0]?.year}`}
                points={[...upper, ...lower].join(" ")}
                className="chart-band"
              />
            );
          })}
        {runs.map((run) => (
          <polyline
            key={`l${run[0]?.year}`}
            points={run.map((p) => `${x(p.year)},${y(p.value ?? 0)}`).join(" ")}
            className="chart-line"
          />
        ))}
        {known.map((p) => (
          <circle key={p.year} cx={x(p.year)} cy={y(p.value)} r={3} className="chart-point" />
        ))}
      </svg>
      {band && (
        <p className="chart-legend small" aria-hidden="true">
          <span className="chart-key chart-key-line" /> {t("report.medianRate")}{" "}
          <span className="chart-key chart-key-band" /> {band}
        </p>
      )}
    </figure>
  );
}
