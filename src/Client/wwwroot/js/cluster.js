import { $, api, row, text } from "./api.js";

export async function refreshCluster() {
  const silos = await api("/api/cluster/silos");
  $("silos").replaceChildren(...silos.map((s) => row([
    s.silo,
    s.hasAccelerator ? text("yes", "yes") : "no",
    s.servedVersion ?? "",
    s.error ?? "",
  ])));
}

export async function refreshQueue() {
  const queue = await api("/api/enrichment/queue");
  const oldest = queue.depth > 0 ? `, oldest waiting ${queue.oldestAgeSeconds} s` : "";
  const parked = queue.parked > 0 ? `, ${queue.parked} parked (retry budget spent)` : "";
  $("queue").textContent = `Enrichment queue: ${queue.depth} waiting${oldest}${parked}`;
}
