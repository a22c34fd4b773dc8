/**
 * The global report as a PDF, made without a browser (pdfkit, its built-in
 * Helvetica): key figures by year, two trend charts drawn as vector paths
 * (countries reporting and total count; median rate with its interquartile
 * band), regional aggregates for the last year, source disagreements, the
 * breakdowns and the legal situation the national returns give, method notes
 * and attribution.
 */
import PDFDocument from "pdfkit";
import { CLASS_COLOURS, NO_DATA_COLOUR, RATE_BREAKS, worldMap } from "./map.ts";
import type { GlobalReport } from "./report.ts";

const MARGIN = 50;
const fmt = (x: number | null, digits = 2) =>
  x === null ? "–" : x.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const whole = (x: number) => Math.round(x).toLocaleString("en-US");

type Doc = PDFKit.PDFDocument;

function heading(doc: Doc, text: string) {
  if (doc.y > doc.page.height - 140) doc.addPage();
  doc.moveDown(0.8).font("Helvetica-Bold").fontSize(13).fillColor("#000").text(text, MARGIN);
  doc.moveDown(0.3).font("Helvetica").fontSize(9);
}

function tableOf(
  doc: Doc,
  columns: { title: string; width: number; align?: "left" | "right" }[],
  rows: string[][],
) {
  const rowHeight = 13;
  const draw = (cells: string[], bold: boolean) => {
    if (doc.y > doc.page.height - MARGIN - rowHeight) doc.addPage();
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? "Helvetica-Bold" : "Helvetica").fontSize(8.5);
    cells.forEach((c, i) => {
      const col = columns[i];
      if (!col) return;
      doc.text(c, x + 2, y + 2, { width: col.width - 4, align: col.align ?? "right", lineBreak: false });
      x += col.width;
    });
    doc.y = y + rowHeight;
    doc.x = MARGIN;
  };
  draw(
    columns.map((c) => c.title),
    true,
  );
  const total = columns.reduce((a, c) => a + c.width, 0);
  doc
    .moveTo(MARGIN, doc.y)
    .lineTo(MARGIN + total, doc.y)
    .lineWidth(0.5)
    .stroke("#444");
  for (const r of rows) draw(r, false);
}

/** The top of an axis with four round steps (1, 2, 2.5 or 5 × 10^n each). */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  return step * 4;
}

/** A line chart with axes, drawn with paths; `band` shades a range (e.g. the IQR). */
function lineChart(
  doc: Doc,
  title: string,
  points: { x: number; y: number | null; lo?: number | null; hi?: number | null }[],
  opts: { colour: string; digits?: number },
) {
  const width = 495;
  const height = 150;
  if (doc.y > doc.page.height - height - 90) doc.addPage();
  doc.font("Helvetica-Bold").fontSize(10).text(title, MARGIN);
  const top = doc.y + 6;
  const left = MARGIN + 40;
  const plotW = width - 50;
  const xs = points.map((p) => p.x);
  const ys = points.flatMap((p) => [p.y, p.hi ?? null]).filter((v): v is number => v !== null);
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const yMax = niceMax(ys.length ? Math.max(...ys) : 1);
  const px = (x: number) => left + (xMax === xMin ? plotW / 2 : ((x - xMin) / (xMax - xMin)) * plotW);
  const py = (y: number) => top + height - (y / yMax) * height;
  // Axes and grid.
  doc.lineWidth(0.5).strokeColor("#888");
  doc
    .moveTo(left, top)
    .lineTo(left, top + height)
    .lineTo(left + plotW, top + height)
    .stroke();
  doc.font("Helvetica").fontSize(7).fillColor("#333");
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    const y = py(v);
    doc
      .moveTo(left - 3, y)
      .lineTo(left, y)
      .stroke();
    if (i > 0)
      doc
        .moveTo(left, y)
        .lineTo(left + plotW, y)
        .lineWidth(0.2)
        .strokeColor("#ccc")
        .stroke();
    doc.lineWidth(0.5).strokeColor("#888");
    doc.text(fmt(v, opts.digits ?? 0), MARGIN - 5, y - 3, { width: 40, align: "right", lineBreak: false });
  }
  const step = Math.max(1, Math.ceil(points.length / 10));
  points.forEach((p, i) => {
    if (i % step === 0 || i === points.length - 1)
      doc.text(String(p.x), px(p.x) - 12, top + height + 4, { width: 24, align: "center", lineBreak: false });
  });
  // The interquartile band.
  const banded = points.filter(
    (p) => p.lo !== null && p.lo !== undefined && p.hi !== null && p.hi !== undefined,
  );
  if (banded.length > 1) {
    const first = banded[0] as (typeof banded)[number];
    doc.moveTo(px(first.x), py(first.hi as number));
    for (const p of banded.slice(1)) doc.lineTo(px(p.x), py(p.hi as number));
    for (const p of [...banded].reverse()) doc.lineTo(px(p.x), py(p.lo as number));
    doc.closePath().fillOpacity(0.15).fill(opts.colour).fillOpacity(1);
  }
  // The line, broken where a year has no value.
  let open = false;
  for (const p of points) {
    if (p.y === null) {
      open = false;
      continue;
    }
    if (open) doc.lineTo(px(p.x), py(p.y));
    else doc.moveTo(px(p.x), py(p.y));
    open = true;
  }
  doc.lineWidth(1.5).strokeColor(opts.colour).stroke();
  for (const p of points) if (p.y !== null) doc.circle(px(p.x), py(p.y), 1.8).fill(opts.colour);
  doc.fillColor("#000").strokeColor("#000");
  doc.y = top + height + 20;
  doc.x = MARGIN;
}

/** The PDF of a global report. */
/** The world map of the last year's rates, with its legend. */
function choropleth(doc: Doc, report: GlobalReport) {
  const width = 495;
  const map = worldMap(report, { width });
  if (doc.y > doc.page.height - map.height - 120) doc.addPage();
  heading(doc, `Rates per 100,000 inhabitants, ${map.year}`);
  const top = doc.y;
  doc.save().translate(MARGIN, top).lineWidth(0.25);
  for (const a of map.areas) {
    doc
      .path(a.d)
      .fillAndStroke(a.rateClass === null ? NO_DATA_COLOUR : CLASS_COLOURS[a.rateClass], "#ffffff");
  }
  doc.restore();
  let x = MARGIN;
  const y = top + map.height + 6;
  const labels = [
    `< ${RATE_BREAKS[0]}`,
    ...RATE_BREAKS.slice(1).map((b, i) => `${RATE_BREAKS[i]}–${b}`),
    `${RATE_BREAKS.at(-1)} or more`,
    "no figure",
  ];
  labels.forEach((label, i) => {
    doc.rect(x, y, 10, 8).fill(i < CLASS_COLOURS.length ? (CLASS_COLOURS[i] as string) : NO_DATA_COLOUR);
    doc
      .fillColor("#000")
      .fontSize(7.5)
      .text(label, x + 13, y, { lineBreak: false });
    x += 13 + doc.widthOfString(label) + 12;
  });
  doc.y = y + 16;
  doc.x = MARGIN;
}

export function reportPdf(report: GlobalReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "A4",
    margin: MARGIN,
    info: {
      Title: `Kidnapping: the global picture, ${report.period.from}–${report.period.to}`,
      Author: "United Nations Office on Drugs and Crime (Ariadne)",
      CreationDate: new Date(report.generatedAt),
    },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const { from, to } = report.period;
  doc.font("Helvetica-Bold").fontSize(18).text("Kidnapping: the global picture");
  doc
    .font("Helvetica")
    .fontSize(11)
    .text(`Report of the Secretary-General, statistical annex — ${from} to ${to}`)
    .fontSize(8)
    .fillColor("#555")
    .text(`Generated ${report.generatedAt} by Ariadne. ECOSOC resolutions 2002/16 §6 and 2004/20 §8(b).`)
    .fillColor("#000");

  heading(doc, "Countries reporting and kidnappings recorded, by year");
  tableOf(
    doc,
    [
      { title: "Year", width: 45, align: "left" },
      { title: "Countries", width: 60 },
      { title: "Total count", width: 75 },
      { title: "Median rate", width: 70 },
      { title: "Q1", width: 50 },
      { title: "Q3", width: 50 },
      { title: "IQR", width: 50 },
      { title: "Aggregate rate", width: 95 },
    ],
    report.years.map((y) => [
      String(y.year),
      String(y.reportingCountries),
      whole(y.totalCount),
      fmt(y.medianRate),
      fmt(y.q1Rate),
      fmt(y.q3Rate),
      fmt(y.iqrRate),
      `${fmt(y.aggregateRate)} (${y.countriesInAggregateRate})`,
    ]),
  );
  doc
    .moveDown(0.3)
    .fontSize(7.5)
    .fillColor("#555")
    .text(
      "Rates per 100,000 inhabitants. Aggregate rate: in brackets, the countries whose population is known.",
      MARGIN,
    )
    .fillColor("#000");

  heading(doc, "Trends");
  lineChart(
    doc,
    "Total count of kidnappings recorded by the reporting countries",
    report.years.map((y) => ({ x: y.year, y: y.reportingCountries > 0 ? y.totalCount : null })),
    { colour: "#1f4e79" },
  );
  lineChart(
    doc,
    "Median rate per 100,000 (band: interquartile range)",
    report.years.map((y) => ({ x: y.year, y: y.medianRate, lo: y.q1Rate, hi: y.q3Rate })),
    { colour: "#b5473a", digits: 2 },
  );

  choropleth(doc, report);

  const last = report.years.at(-1)?.year ?? to;
  heading(doc, `Regions and subregions (UN M49), ${last}`);
  const areaRows = report.regions.flatMap((r) => [
    { name: r.name, y: r.years.find((y) => y.year === last) },
    ...report.subregions
      .filter((s) => s.region === r.name)
      .map((s) => ({ name: `    ${s.name}`, y: s.years.find((y) => y.year === last) })),
  ]);
  tableOf(
    doc,
    [
      { title: "Region / subregion", width: 175, align: "left" },
      { title: "Reporting", width: 70 },
      { title: "Coverage", width: 60 },
      { title: "Total count", width: 70 },
      { title: "Median rate", width: 65 },
      { title: "Aggregate rate", width: 75 },
    ],
    areaRows.map(({ name, y }) => [
      name,
      y ? `${y.reporting} of ${y.expected}` : "–",
      y ? `${Math.round(y.coverage * 100)} %` : "–",
      y ? whole(y.totalCount) : "–",
      fmt(y?.medianRate ?? null),
      fmt(y?.aggregateRate ?? null),
    ]),
  );

  heading(doc, "Where sources disagree");
  if (report.disagreements.length === 0) doc.text("The sources agree wherever they overlap.", MARGIN);
  else {
    doc.text(`${report.disagreements.length} country-years where sources give different figures:`, MARGIN);
    doc.moveDown(0.3);
    tableOf(
      doc,
      [
        { title: "Area", width: 60, align: "left" },
        { title: "Year", width: 40, align: "left" },
        { title: "Unit", width: 55, align: "left" },
        { title: "Values by source", width: 340, align: "left" },
      ],
      report.disagreements
        .slice(0, 40)
        .map((d) => [
          d.area,
          String(d.year),
          d.unit === "NR" ? "count" : "rate",
          d.values.map((v) => `${v.source} ${fmt(v.value)}`).join("; "),
        ]),
    );
  }

  const breakdowns = report.breakdowns ?? [];
  if (breakdowns.length > 0) {
    const lastYear = Math.max(...breakdowns.map((b) => b.year));
    heading(doc, `What the national returns say, ${lastYear}: by type, outcome and victims`);
    tableOf(
      doc,
      [
        { title: "Measure", width: 65, align: "left" },
        { title: "Breakdown", width: 80, align: "left" },
        { title: "Categories (count)", width: 280, align: "left" },
        { title: "States", width: 70, align: "left" },
      ],
      breakdowns
        .filter((b) => b.year === lastYear)
        .map((b) => [
          b.measure.toLowerCase(),
          b.dimension === "TYPE" ? "operational type" : b.dimension.toLowerCase(),
          b.categories.map((c) => `${c.category} ${whole(c.count)}`).join(", "),
          b.countries.join(" "),
        ]),
    );
  }

  const legal = report.legal ?? [];
  if (legal.length > 0) {
    heading(doc, "The legal situation, from the questionnaires returned");
    tableOf(
      doc,
      [
        { title: "State", width: 45, align: "left" },
        { title: "Return", width: 55, align: "left" },
        { title: "Criminalised", width: 65, align: "left" },
        { title: "Max. penalty", width: 65 },
        { title: "Serious crime", width: 65, align: "left" },
        { title: "UNTOC", width: 55, align: "left" },
        { title: "Units", width: 45, align: "left" },
        { title: "Victims", width: 50, align: "left" },
        { title: "AML", width: 45, align: "left" },
      ],
      legal.map((l) => [
        l.country,
        `${l.year} r${l.revision}`,
        l.criminalised,
        l.maxPenaltyYears === null ? "–" : l.maxPenaltyYears === 99 ? "life" : `${l.maxPenaltyYears} years`,
        l.seriousCrime === null ? "–" : l.seriousCrime ? "yes" : "no",
        l.untocParty,
        l.specialisedUnits,
        l.victimAssistance,
        l.antiMoneyLaunderingRansom,
      ]),
    );
    doc
      .moveDown(0.3)
      .fontSize(7.5)
      .fillColor("#555")
      .text("Serious crime: a maximum penalty of four years or more (UNTOC art. 2(b)).", MARGIN)
      .fillColor("#000");
  }

  heading(doc, "Method and data quality");
  for (const note of report.method)
    doc.fontSize(8.5).text(`• ${note}`, MARGIN, undefined, { width: 495 }).moveDown(0.2);

  heading(doc, "Sources and attribution");
  for (const s of report.sources)
    doc
      .fontSize(8.5)
      .text(`${s.attribution} — ${s.observations.toLocaleString("en-US")} observations.`, MARGIN);
  doc.end();
  return done;
}
