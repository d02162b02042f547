// Retraining: start / cancel, the live status, and the learning curve (uPlot, shipped with the page).
import { $, admin, api, percent } from "./api.js";

const colours = { loss: "#d62728", type: "#1f77b4", colour: "#ff7f0e", validation: "#2ca02c", served: "#7f7f7f" };
let chart = null;
let lastCurve = "";

function chartSize() {
  const box = $("curve");
  return { width: Math.max(200, box.clientWidth), height: 240 };
}

function chartData(job) {
  const curve = job?.curve ?? [];
  const served = job?.servedScore ?? null;
  return [
    curve.map((p) => p.epoch),
    curve.map((p) => p.trainLoss),
    curve.map((p) => p.trainTypeAccuracy),
    curve.map((p) => p.trainColourAccuracy),
    curve.map((p) => p.validationScore),
    curve.map(() => served),
  ];
}

function drawCurve(job) {
  const data = chartData(job);
  const key = JSON.stringify(data);
  if (key === lastCurve && chart) return;
  lastCurve = key;
  if (!chart) {
    chart = new uPlot({
      ...chartSize(),
      scales: { x: { time: false }, acc: { range: [0, 1] }, loss: { auto: true } },
      axes: [
        { label: "epoch", incrs: [1, 2, 5, 10, 20, 50, 100] },
        { scale: "acc", label: "accuracy / score", values: (_, ticks) => ticks.map((t) => `${Math.round(t * 100)} %`) },
        { scale: "loss", side: 1, label: "training loss", grid: { show: false } },
      ],
      series: [
        { label: "epoch" },
        { label: "training loss", scale: "loss", stroke: colours.loss, width: 2 },
        { label: "type (train)", scale: "acc", stroke: colours.type, width: 2, value: (_, v) => percent(v) },
        { label: "colour (train)", scale: "acc", stroke: colours.colour, width: 2, value: (_, v) => percent(v) },
        { label: "validation score", scale: "acc", stroke: colours.validation, width: 3, value: (_, v) => percent(v) },
        { label: "served model", scale: "acc", stroke: colours.served, width: 2, dash: [6, 4], points: { show: false }, value: (_, v) => percent(v) },
      ],
    }, data, $("curve"));
    window.curveChart = chart;
    new ResizeObserver(() => chart.setSize(chartSize())).observe($("curve"));
  } else {
    chart.setData(data);
  }
}

export function showTraining(job) {
  if (!job) return;
  const finished = job.state !== "Running";
  const eta = !finished && job.eta ? `, ETA ${job.eta.split(".")[0]}` : "";
  // A finished job reads as its last epoch, not as the trainer's reset counters.
  const planned = job.request.epochs ?? "?";
  const progress = finished
    ? `epoch ${job.curve.length}/${planned}, loss ${job.loss.toFixed(3)}`
    : `epoch ${job.epoch}/${planned}, iteration ${job.iteration}/${job.iterationsPerEpoch}, loss ${job.loss.toFixed(3)}`;
  $("training-status").textContent =
    `${job.jobId}: ${outcome(job)} (${job.phase}) — started by ${job.request.by ?? "unknown"}; ${progress}, ` +
    `type ${percent(job.typeAccuracy)}, colour ${percent(job.colourAccuracy)}${eta}` +
    (job.trainingRows ? `; ${job.trainingRows} labelled products, ${job.reviewedRows} reviewed, ${job.evaluationRows} held out for evaluation` : "") +
    (job.candidateVersion ? `; candidate ${job.candidateVersion} ${percent(job.candidateScore)} vs served ${percent(job.servedScore)}` : "") +
    (job.message ? ` — ${job.message}` : "");
  $("training-status").dataset.state = job.state;
  $("training-status").classList.toggle("forced", job.forcedPromotion);
  drawCurve(job);
}

// A promotion forced by policy over a better served model is not a success: it says so, with both scores.
function outcome(job) {
  return job.forcedPromotion
    ? `${job.state} (forced: candidate ${percent(job.candidateScore)} < served ${percent(job.servedScore)})`
    : job.state;
}

function parameters(request) {
  return `${request.architecture}, width ${request.baseWidth}, ${request.epochs ?? "?"} epochs, batch ${request.batchSize ?? "?"}, ` +
    `lr ${request.learningRate}, min class ${request.minClassCount ?? "fit"}, ${request.policy}` + (request.reEnrich ? ", re-enrich" : "");
}

// The validation score per epoch as a small line; the served model's score as a dashed level.
function sparkline(job) {
  const points = job.curve.map((p) => p.validationScore).filter((v) => v !== null && v !== undefined);
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("width", "120");
  svg.setAttribute("height", "32");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `validation score over ${points.length} epochs`);
  const y = (v) => (31 - v * 30).toFixed(1);
  if (points.length > 0) {
    const step = points.length > 1 ? 118 / (points.length - 1) : 0;
    const line = document.createElementNS(svg.namespaceURI, "polyline");
    line.setAttribute("points", points.map((v, i) => `${(1 + i * step).toFixed(1)},${y(v)}`).join(" "));
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", colours.validation);
    line.setAttribute("stroke-width", "2");
    svg.append(line);
  }
  if (job.servedScore !== null && job.servedScore !== undefined) {
    const level = document.createElementNS(svg.namespaceURI, "line");
    for (const [k, v] of [["x1", 0], ["x2", 120], ["y1", y(job.servedScore)], ["y2", y(job.servedScore)]]) level.setAttribute(k, v);
    level.setAttribute("stroke", colours.served);
    level.setAttribute("stroke-dasharray", "4 3");
    svg.append(level);
  }
  return svg;
}

function historyRow(job) {
  const row = document.createElement("tr");
  row.dataset.jobId = job.jobId;
  row.dataset.state = job.state;
  const cells = [
    outcome(job) + (job.message ? ` — ${job.message}` : ""),
    `${job.jobId}, ${new Date(job.startedAt).toISOString().slice(0, 16).replace("T", " ")} UTC`,
    job.request.by ?? "unknown",
    parameters(job.request),
    job.candidateScore !== null && job.candidateScore !== undefined ? `${percent(job.candidateScore)} / ${percent(job.servedScore)}` : "—",
  ].map((text) => Object.assign(document.createElement("td"), { textContent: text }));
  cells[0].classList.toggle("forced", job.forcedPromotion);
  const curve = document.createElement("td");
  curve.append(sparkline(job));
  row.append(...cells, curve);
  return row;
}

export function showHistory(jobs) {
  $("training-history").replaceChildren(...(jobs.length
    ? jobs.map(historyRow)
    : [Object.assign(document.createElement("tr"), { innerHTML: '<td colspan="6">No finished job yet.</td>' })]));
}

let lastFinished = null;

export async function refreshTraining() {
  const training = await api("/api/training");
  showTraining(training.current);
  showHistory(training.history);
  lastFinished = training.history[0]?.jobId ?? null;
}

export function wireTraining() {
  $("train-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const job = await admin("/api/admin/training", {
      // Empty fields are left to the job, which fits them to the catalogue (and reports what it chose).
      epochs: form.get("epochs") ? Number(form.get("epochs")) : null,
      batchSize: form.get("batchSize") ? Number(form.get("batchSize")) : null,
      learningRate: Number(form.get("learningRate")),
      architecture: form.get("architecture"),
      baseWidth: Number(form.get("baseWidth")),
      // Empty: the job fits the minimum class size to the catalogue, so a small one keeps its classes.
      minClassCount: form.get("minClassCount") ? Number(form.get("minClassCount")) : null,
      policy: form.get("policy"),
      reEnrich: form.get("reEnrich") === "on",
      by: $("operator").value.trim() || "console",
    });
    if (job) showTraining(job);
  });
  $("cancel").addEventListener("click", async () => {
    const job = await admin("/api/admin/training/cancel");
    if (job) showTraining(job);
  });
  // Live progress: the server pushes the job status once a second.
  const stream = new EventSource("/api/training/stream");
  stream.onmessage = async (event) => {
    const job = JSON.parse(event.data);
    showTraining(job);
    // A job that just finished joins the past jobs.
    if (job && job.state !== "Running" && job.jobId !== lastFinished) await refreshTraining();
  };
}
