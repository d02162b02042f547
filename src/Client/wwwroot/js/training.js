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
    `${job.jobId}: ${job.state} (${job.phase}) — ${progress}, ` +
    `type ${percent(job.typeAccuracy)}, colour ${percent(job.colourAccuracy)}${eta}` +
    (job.trainingRows ? `; ${job.trainingRows} labelled products, ${job.reviewedRows} reviewed, ${job.evaluationRows} held out for evaluation` : "") +
    (job.candidateVersion ? `; candidate ${job.candidateVersion} ${percent(job.candidateScore)} vs served ${percent(job.servedScore)}` : "") +
    (job.message ? ` — ${job.message}` : "");
  $("training-status").dataset.state = job.state;
  drawCurve(job);
}

export async function refreshTraining() {
  const training = await api("/api/training");
  showTraining(training.current);
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
    });
    if (job) showTraining(job);
  });
  $("cancel").addEventListener("click", async () => {
    const job = await admin("/api/admin/training/cancel");
    if (job) showTraining(job);
  });
  // Live progress: the server pushes the job status once a second.
  const stream = new EventSource("/api/training/stream");
  stream.onmessage = (event) => showTraining(JSON.parse(event.data));
}
