// A version's quality report, opened from the models panel: per input mode and attribute top-1, top-5 and ECE; for the
// chosen mode and attribute the per-class table, the confusion heat map, the reliability diagram and the
// coverage-versus-precision curve; and a second version beside it to compare.
import { $, api, percent, row, showError, text, when } from "./api.js";
import { confusionHeatMap } from "./confusion.js";
import { coverageChart, reliabilityChart } from "./qualitycharts.js";
import { stack } from "./stack.js";

let charts = [];
let reports = new Map(); // versionId -> report, or { error }
let loading = 0;

const number = (x, digits = 3) => (x === undefined || x === null ? "" : Number(x).toFixed(digits));
const quality = (id) => `/api/models/${encodeURIComponent(id)}`;

/** Shows the view for versionId (comparing with whatever was chosen before, unless that is the same version). */
export async function openQuality(versionId) {
  $("quality").hidden = false;
  const models = await api("/api/models");
  const ids = models.versions.map((v) => v.versionId);
  const compare = $("quality-compare").value;
  fillVersions($("quality-version"), ids, versionId, null);
  fillVersions($("quality-compare"), ids, compare !== versionId && ids.includes(compare) ? compare : "", "none");
  await load();
  $("quality").scrollIntoView({ block: "start" });
}

/** Keeps the open view's version choices in step with the registry (a job may register one while it is open). */
export function refreshQualityChoices(ids) {
  if ($("quality").hidden) return;
  for (const [id, none] of [["quality-version", null], ["quality-compare", "none"]]) {
    const select = $(id);
    const have = [...select.options].map((o) => o.value).filter(Boolean);
    if (have.length !== ids.length || have.some((v, i) => v !== ids[i])) fillVersions(select, ids, select.value, none);
  }
}

function fillVersions(select, ids, chosen, none) {
  const options = ids.map((id) => Object.assign(document.createElement("option"), { value: id, textContent: id }));
  if (none) options.unshift(Object.assign(document.createElement("option"), { value: "", textContent: none }));
  select.replaceChildren(...options);
  select.value = chosen;
}

async function fetchReport(id) {
  const [report, version] = await Promise.all([
    api(`${quality(id)}/quality`).catch((error) => ({ error: error.message })),
    api(quality(id)).catch(() => null),
  ]);
  return { report, version };
}

async function load() {
  const ticket = ++loading;
  const ids = [$("quality-version").value, $("quality-compare").value].filter(Boolean);
  const fetched = await Promise.all(ids.map(fetchReport));
  if (ticket !== loading) return; // a later choice is loading
  reports = new Map(ids.map((id, i) => [id, fetched[i]]));
  fillChoices();
  render();
}

/** Input modes and attributes any of the shown reports has, keeping the current choice where it still exists. */
function fillChoices() {
  const modes = new Set();
  const attributes = new Set();
  for (const { report } of reports.values()) {
    for (const mode of report.modes ?? []) {
      modes.add(mode.input);
      for (const a of mode.attributes) attributes.add(a.attribute);
    }
  }
  for (const [id, values] of [["quality-mode", [...modes]], ["quality-attribute", [...attributes]]]) {
    const select = $(id);
    const chosen = select.value;
    select.replaceChildren(...values.map((v) => Object.assign(document.createElement("option"), { value: v, textContent: v })));
    // The served mode (the last, photo + name where the model reads names) by default; colour before the others.
    select.value = values.includes(chosen) ? chosen : id === "quality-mode" ? values[values.length - 1] ?? "" : values.includes("colour") ? "colour" : values[0] ?? "";
  }
}

function render() {
  for (const c of charts) c.destroy();
  charts = [];
  const columns = [...reports.entries()].map(([id, fetched]) => column(id, fetched));
  $("quality-columns").replaceChildren(...columns);
  $("quality-columns").classList.toggle("compare", columns.length > 1);
  // Charts are drawn once their boxes are in the page (uPlot sizes them from the layout).
  for (const draw of columns.flatMap((c) => c.pending ?? [])) charts.push(draw());
  window.qualityCharts = charts.map((c) => c.chart);
}

function column(id, { report, version }) {
  const box = document.createElement("div");
  box.className = "quality-column";
  box.dataset.version = id;
  box.append(Object.assign(document.createElement("h3"), { textContent: id }));
  if (report.error) {
    box.append(text(report.error, "status empty"));
    return box;
  }
  const target = report.target;
  box.append(text(`${report.rows} rows of ${report.rowsDescription ?? "held-out rows"}, scored ${when(report.createdUtc)}; auto-apply target: `
    + `precision ${percent(target.precision)} by the ${percent(target.confidenceLevel)} lower bound, at least ${target.minRows} rows`, "status"));
  if (version?.catalogue) box.append(text(catalogueLine(version.catalogue), "status"));
  box.append(summary(report));

  // A version that does not read names has no photo+name mode: beside one that does, its own (served) mode is shown.
  const chosenMode = $("quality-mode").value;
  const mode = report.modes.find((m) => m.input === chosenMode) ?? report.modes[report.modes.length - 1];
  const attribute = mode?.attributes.find((a) => a.attribute === $("quality-attribute").value);
  if (!attribute) {
    box.append(text(`this report has no ${$("quality-attribute").value} for ${chosenMode}`, "status empty"));
    return box;
  }
  box.append(Object.assign(document.createElement("h4"), { textContent: `${attribute.attribute}, reading ${mode.input}: ${attribute.rows} rows` }));
  if (mode.input !== chosenMode) box.append(text(`this version has no ${chosenMode} mode: it reads ${mode.input}`, "status"));
  box.append(text(thresholdLine(attribute.autoApply), "status threshold-line"));
  const reliability = Object.assign(document.createElement("div"), { className: "chart reliability" });
  const coverage = Object.assign(document.createElement("div"), { className: "chart coverage" });
  box.append(reliability, coverage);
  box.pending = [() => reliabilityChart(reliability, attribute.reliability), () => coverageChart(coverage, attribute.coverage, attribute.autoApply, target.precision)];
  box.append(Object.assign(document.createElement("h4"), { textContent: "Confusion (rows actual, columns predicted)" }));
  box.append(confusionHeatMap(attribute.labels, attribute.confusion));
  box.append(Object.assign(document.createElement("h4"), { textContent: "Per class" }));
  box.append(classTable(attribute.classes));
  return box;
}

function catalogueLine(catalogue) {
  const counts = (catalogue.provenance ?? []).filter((p) => !p.value.includes(":")).map((p) => `${p.value} ${p.count}`);
  return `In the catalogue now: ${catalogue.estimated ? "about " : ""}${catalogue.enriched} products enriched by this version`
    + (counts.length ? ` (attribute values: ${counts.join(", ")})` : "");
}

function thresholdLine(choice) {
  return choice.threshold === null || choice.threshold === undefined
    ? `No auto-apply threshold: no confidence gave ${percent(choice.targetPrecision)} precision by the lower bound over at least ${choice.minRows} of ${choice.rows} rows.`
    : `Auto-apply at confidence ≥ ${number(choice.threshold)}: covers ${percent(choice.coverage)} (${choice.rowsAbove} of ${choice.rows} rows), `
      + `precision ${percent(choice.precision)} (lower bound ${percent(choice.precisionLowerBound)}, target ${percent(choice.targetPrecision)}).`;
}

/** A table in its own scroll box; a wide one (stacked) turns into labelled rows on narrow screens. */
function table(headings, rows, className, stacked = false) {
  const t = document.createElement("table");
  t.className = className;
  const head = document.createElement("thead");
  const tr = document.createElement("tr");
  for (const h of headings) tr.append(Object.assign(document.createElement("th"), { textContent: h }));
  head.append(tr);
  const body = document.createElement("tbody");
  body.append(...rows);
  t.append(head, body);
  if (stacked) stack(t);
  const box = document.createElement("div");
  box.className = "scroll";
  box.append(t);
  return box;
}

/** Every mode and attribute of the report: the numbers a comparison starts from. */
function summary(report) {
  const rows = report.modes.flatMap((mode) => mode.attributes.map((a) => {
    const tr = row([mode.input, a.attribute, String(a.rows), percent(a.top1), percent(a.top5), number(a.ece),
      a.autoApply.threshold === null || a.autoApply.threshold === undefined ? "none" : number(a.autoApply.threshold),
      percent(a.autoApply.coverage), percent(a.autoApply.precision)]);
    tr.dataset.input = mode.input;
    tr.dataset.attribute = a.attribute;
    return tr;
  }));
  const scores = report.modes.map((m) => `${m.input}: ${percent(m.score)}`).join("; ");
  const box = table(["Input", "Attribute", "Rows", "Top-1", "Top-5", "ECE", "Threshold", "Coverage", "Precision"], rows, "quality-summary", true);
  box.prepend(text(`Score (mean of type and colour top-1): ${scores}`, "status"));
  return box;
}

function classTable(classes) {
  const sorted = [...classes].sort((a, b) => b.support - a.support || a.label.localeCompare(b.label));
  return table(["Class", "Support", "Precision", "Recall", "F1"],
    sorted.map((c) => row([c.label, String(c.support), percent(c.precision), percent(c.recall), number(c.f1)])), "classes");
}

export function wireQuality() {
  $("quality-close").addEventListener("click", () => {
    $("quality").hidden = true;
    for (const c of charts) c.destroy();
    charts = [];
  });
  for (const id of ["quality-version", "quality-compare"]) $(id).addEventListener("change", () => load().catch((error) => showError(error.message)));
  for (const id of ["quality-mode", "quality-attribute"]) $(id).addEventListener("change", render);
}
