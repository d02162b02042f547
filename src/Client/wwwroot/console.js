// Admin console: plain DOM code over the client's HTTP API, no build step.
"use strict";

const $ = (id) => document.getElementById(id);
const tokenInput = $("token");
tokenInput.value = localStorage.getItem("adminToken") ?? "";
tokenInput.addEventListener("change", () => localStorage.setItem("adminToken", tokenInput.value));

function text(value) {
  const span = document.createElement("span");
  span.textContent = value ?? "";
  return span;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.append(cell instanceof Node ? cell : text(cell));
    tr.append(td);
  }
  return tr;
}

function showError(message) {
  const box = $("message");
  box.textContent = message;
  box.classList.toggle("visible", Boolean(message));
}

async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error(body?.detail ?? body?.title ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

async function admin(path, body) {
  try {
    const result = await api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Admin-Token": tokenInput.value },
      body: JSON.stringify(body ?? {}),
    });
    showError("");
    return result;
  } catch (error) {
    showError(error.message);
    return null;
  }
}

const percent = (x) => (x === undefined || x === null ? "" : `${(100 * x).toFixed(1)} %`);

async function refreshCluster() {
  const silos = await api("/api/cluster/silos");
  $("silos").replaceChildren(...silos.map((s) => row([
    s.silo,
    s.hasAccelerator ? Object.assign(text("yes"), { className: "yes" }) : "no",
    s.servedVersion ?? "",
    s.error ?? "",
  ])));
}

async function refreshQueue() {
  const queue = await api("/api/enrichment/queue");
  const oldest = queue.depth > 0 ? `, oldest waiting ${queue.oldestAgeSeconds} s` : "";
  const parked = queue.parked > 0 ? `, ${queue.parked} parked (retry budget spent)` : "";
  $("queue").textContent = `Enrichment queue: ${queue.depth} waiting${oldest}${parked}`;
}

async function refreshModels() {
  const models = await api("/api/models");
  $("versions").replaceChildren(...models.versions.map((v) => {
    const deploy = document.createElement("button");
    deploy.textContent = v.current ? "serving" : "deploy / roll back";
    deploy.disabled = v.current;
    deploy.dataset.version = v.versionId;
    deploy.addEventListener("click", async () => {
      if (await admin(`/api/admin/models/${encodeURIComponent(v.versionId)}/deploy`)) await refreshAll();
    });
    return row([v.versionId, new Date(v.registeredAt).toLocaleString(), percent(v.metrics["valid.type.top1"]),
      percent(v.metrics["valid.colour.top1"]), v.source ?? "", deploy]);
  }));
}

function drawCurve(curve) {
  const canvas = $("curve");
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = "#ccc";
  g.strokeRect(30, 10, canvas.width - 40, canvas.height - 40);
  if (!curve?.length) return;
  const x = (i) => 30 + ((canvas.width - 40) * (i + 1)) / (curve.length + 1);
  const y = (v) => 10 + (canvas.height - 40) * (1 - Math.max(0, Math.min(1, v)));
  const line = (values, colour, label, at) => {
    g.strokeStyle = colour;
    g.fillStyle = colour;
    g.beginPath();
    values.forEach((v, i) => (i ? g.lineTo(x(i), y(v)) : g.moveTo(x(i), y(v))));
    g.stroke();
    values.forEach((v, i) => g.fillRect(x(i) - 2, y(v) - 2, 4, 4));
    g.fillText(label, 35, 25 + at * 14);
  };
  line(curve.map((p) => p.trainTypeAccuracy), "#1f77b4", "train type accuracy", 0);
  line(curve.map((p) => p.trainColourAccuracy), "#ff7f0e", "train colour accuracy", 1);
  line(curve.map((p) => p.validationScore ?? 0), "#2ca02c", "validation score", 2);
  g.fillStyle = "#555";
  curve.forEach((p, i) => g.fillText(`e${p.epoch}`, x(i) - 6, canvas.height - 15));
}

function showTraining(job) {
  if (!job) return;
  const eta = job.eta ? `, ETA ${job.eta.split(".")[0]}` : "";
  $("training-status").textContent =
    `${job.jobId}: ${job.state} (${job.phase}) — epoch ${job.epoch}/${job.request.epochs}, ` +
    `iteration ${job.iteration}/${job.iterationsPerEpoch}, loss ${job.loss.toFixed(3)}, ` +
    `type ${percent(job.typeAccuracy)}, colour ${percent(job.colourAccuracy)}${eta}` +
    (job.candidateVersion ? `; candidate ${job.candidateVersion} ${percent(job.candidateScore)} vs served ${percent(job.servedScore)}` : "") +
    (job.message ? ` — ${job.message}` : "");
  $("training-status").dataset.state = job.state;
  drawCurve(job.curve);
}

async function refreshTraining() {
  const training = await api("/api/training");
  showTraining(training.current);
}

$("train-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const request = {
    epochs: Number(form.get("epochs")),
    batchSize: Number(form.get("batchSize")),
    learningRate: Number(form.get("learningRate")),
    architecture: form.get("architecture"),
    baseWidth: Number(form.get("baseWidth")),
    minClassCount: Number(form.get("minClassCount")),
    policy: form.get("policy"),
    reEnrich: form.get("reEnrich") === "on",
  };
  const job = await admin("/api/admin/training", request);
  if (job) showTraining(job);
});

$("cancel").addEventListener("click", async () => {
  const job = await admin("/api/admin/training/cancel");
  if (job) showTraining(job);
});

$("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const query = new URLSearchParams();
  for (const [key, value] of new FormData(event.target)) if (value) query.set(key, value);
  query.set("limit", "24");
  try {
    const page = await api(`/api/products?${query}`);
    showError("");
    $("search-summary").textContent = `${page.estimated ? "about " : ""}${page.total} products match`;
    $("results").replaceChildren(...page.items.map(productCard));
  } catch (error) {
    showError(error.message);
  }
});

function productCard(p) {
  const card = document.createElement("div");
  card.className = "card";
  card.dataset.productId = p.productId;
  if (p.image) {
    const img = document.createElement("img");
    img.src = `/api/images/${p.image.sha256}`;
    img.alt = p.name;
    card.append(img);
  }
  card.append(text(`${p.productId}: ${p.name}`), document.createElement("br"));
  const enrichment = p.enrichment;
  if (enrichment?.error) {
    card.append(text(`unreadable image: ${enrichment.error}`));
  } else if (enrichment) {
    for (const [name, prediction] of Object.entries(enrichment.attributes)) {
      card.append(text(`${name}: ${prediction.value} (${percent(prediction.confidence)})`), document.createElement("br"));
    }
    card.append(text(`“${enrichment.caption ?? ""}” — ${enrichment.modelVersion}`));
  } else {
    card.append(text(`enrichment ${p.enrichmentStatus}${p.enrichmentNote ? ": " + p.enrichmentNote : ""}`));
  }
  return card;
}

async function refreshRejected() {
  const page = await api("/api/rejected?take=20");
  $("rejected-rows").replaceChildren(...page.items.map((r) => row([
    new Date(r.rejectedAt).toLocaleTimeString(), r.source, r.productId ?? "", r.reason,
  ])));
}

async function refreshAll() {
  try {
    await Promise.all([refreshCluster(), refreshQueue(), refreshModels(), refreshTraining(), refreshRejected()]);
  } catch (error) {
    showError(error.message);
  }
}

refreshAll();
setInterval(refreshAll, 5000);
// Live training progress: the server pushes the job status once a second.
const stream = new EventSource("/api/training/stream");
stream.onmessage = (event) => showTraining(JSON.parse(event.data));
