// Model versions with the decision that judged them, what each reads, its auto-apply thresholds, deployment with
// confirmation, the deployment history, and the way into a version's quality report.
import { $, admin, api, percent, row, showError, text, when } from "./api.js";
import { openQuality, refreshQualityChoices } from "./quality.js";

export async function refreshModels(onDeployed) {
  const models = await api("/api/models");
  $("versions").replaceChildren(...models.versions.map((v) => {
    const tr = row([
      v.versionId,
      when(v.registeredAt),
      productsCell(v),
      v.evaluation ? score(v.evaluation) : scoreButton(v),
      (v.inputs ?? ["photo"]).join(" + "),
      autoApplyList(v),
      v.verdict ? text(`${v.verdict.outcome}: ${v.verdict.reason}`, `verdict ${v.verdict.outcome}`) : "",
      v.source ?? "",
      actions(v, onDeployed),
    ]);
    tr.dataset.versionRow = v.versionId;
    return tr;
  }));
  refreshQualityChoices(models.versions.map((v) => v.versionId));
  showReEnrichment(models.reEnrichment);
  const history = await api("/api/deployments");
  $("deployments").replaceChildren(...history.slice(0, 20).map((d) => row([when(d.at), d.by, d.fromVersion ?? "none", d.toVersion, d.reason ?? ""])));
  // The training panel shows a job's own outcome; what is served since then (a later deployment) is said here.
  const latest = history[0];
  $("serving-now").textContent = models.current
    ? `Serving now: ${models.current}${latest ? ` (deployed ${when(latest.at)} by ${latest.by})` : ""}`
    : "No model is served yet.";
}

/** How many products still carry this version's predictions (the read model's count), and for the served one, how many do not yet. */
function productsCell(version) {
  const cell = text(String(version.products ?? 0), "products");
  cell.dataset.products = version.products ?? 0;
  return cell;
}

function showReEnrichment(job) {
  const status = $("reenrichment-status");
  if (!job) {
    status.textContent = "";
    return;
  }
  status.dataset.state = job.state;
  status.dataset.target = job.targetVersion;
  const progress = `${job.requested} of ${job.total} products queued`;
  status.textContent = job.state === "Running"
    ? `Re-enriching towards ${job.targetVersion} (started by ${job.by}): ${progress}${job.waitingForQueue ? ", waiting for the enrichment queue to drain" : ""}`
    : `Re-enrichment towards ${job.targetVersion} ${job.state.toLowerCase()} ${when(job.finishedAt)}: ${progress}${job.error ? ` (${job.error})` : ""}`;
}

function score(evaluation) {
  const cell = text(`${percent(evaluation.score)} on ${evaluation.rows} rows`);
  if (evaluation.scoreDescription) cell.append(text(evaluation.scoreDescription, "note"));
  return cell;
}

const threshold = (x) => Number(x).toFixed(3);

/** Per attribute and input mode: the threshold, the share of held-out rows it covers, the precision measured above it. */
function autoApplyList(version) {
  const list = document.createElement("ul");
  list.className = "autoapply";
  if (!version.autoApply?.length) {
    list.append(Object.assign(document.createElement("li"), { textContent: "not measured yet: nothing is auto-applied" }));
    return list;
  }
  const ordered = [...version.autoApply].sort((a, b) => a.input.localeCompare(b.input) || a.attribute.localeCompare(b.attribute));
  for (const t of ordered) {
    const li = document.createElement("li");
    li.dataset.attribute = t.attribute;
    li.dataset.input = t.input;
    li.dataset.threshold = t.threshold ?? "none";
    li.append(text(`${t.attribute} (${t.input}): `, "name"));
    li.append(t.threshold === null || t.threshold === undefined
      ? text(`no threshold: ${percent(t.targetPrecision)} not reached`, "none")
      : text(`≥ ${threshold(t.threshold)}, covers ${percent(t.coverage)}, precision ${percent(t.precision)} (≥ ${percent(t.precisionLowerBound)})`, "threshold"));
    li.title = `measured on ${t.measuredOn ?? "held-out rows"}: ${t.rows} rows; target ${percent(t.targetPrecision)} `
      + `by the 95 % lower bound, at least ${t.minRows} rows above the threshold`;
    list.append(li);
  }
  return list;
}

function actions(version, onDeployed) {
  const cell = document.createElement("span");
  cell.className = "actions";
  const quality = document.createElement("button");
  quality.type = "button";
  quality.textContent = "quality";
  quality.dataset.quality = version.versionId;
  quality.addEventListener("click", () => openQuality(version.versionId).catch((error) => showError(error.message)));
  cell.append(deployButton(version, onDeployed), quality);
  return cell;
}

function scoreButton(version) {
  const button = document.createElement("button");
  button.textContent = "not scored yet: score";
  button.dataset.score = version.versionId;
  button.addEventListener("click", async () => {
    if (await admin(`/api/admin/models/${encodeURIComponent(version.versionId)}/evaluate`)) button.disabled = true;
  });
  return button;
}

function deployButton(version, onDeployed) {
  const button = document.createElement("button");
  button.textContent = version.current ? "serving" : "deploy";
  button.disabled = version.current;
  button.dataset.version = version.versionId;
  if (version.caution) button.dataset.caution = version.caution;
  button.addEventListener("click", async () => {
    let reason = null;
    // A rejected or older version is deployed only on purpose, and the purpose is recorded.
    if (version.caution) {
      if (!confirm(`${version.caution}. Deploy it anyway?`)) return;
      reason = prompt("Why deploy it? (recorded in the deployment history)")?.trim();
      if (!reason) return;
    }
    const by = $("operator").value.trim() || "console";
    const reEnrich = $("reenrich-on-deploy").checked;
    if (await admin(`/api/admin/models/${encodeURIComponent(version.versionId)}/deploy`, { by, reason, reEnrich })) await onDeployed();
  });
  return button;
}
