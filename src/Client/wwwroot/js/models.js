// Model versions with the decision that judged them, deployment with confirmation, and the deployment history.
import { $, admin, api, percent, row, text, when } from "./api.js";

export async function refreshModels(onDeployed) {
  const models = await api("/api/models");
  $("versions").replaceChildren(...models.versions.map((v) => row([
    v.versionId,
    when(v.registeredAt),
    v.evaluation ? `${percent(v.evaluation.score)} on ${v.evaluation.rows} rows` : scoreButton(v),
    v.verdict ? text(`${v.verdict.outcome}: ${v.verdict.reason}`, `verdict ${v.verdict.outcome}`) : "",
    v.source ?? "",
    deployButton(v, onDeployed),
  ])));
  const history = await api("/api/deployments");
  $("deployments").replaceChildren(...history.slice(0, 20).map((d) => row([when(d.at), d.by, d.fromVersion ?? "none", d.toVersion, d.reason ?? ""])));
  // The training panel shows a job's own outcome; what is served since then (a later deployment) is said here.
  const latest = history[0];
  $("serving-now").textContent = models.current
    ? `Serving now: ${models.current}${latest ? ` (deployed ${when(latest.at)} by ${latest.by})` : ""}`
    : "No model is served yet.";
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
    if (await admin(`/api/admin/models/${encodeURIComponent(version.versionId)}/deploy`, { by, reason })) await onDeployed();
  });
  return button;
}
