// Rejected events, newest first, a page at a time, with what the sender sent.
import { $, api, row, when } from "./api.js";

const pageSize = 20;
let before = null;
let next = null;

export async function refreshRejected() {
  const query = new URLSearchParams({ take: String(pageSize) });
  if (before) query.set("before", before);
  const page = await api(`/api/rejected?${query}`);
  next = page.nextCursor ?? null;
  $("rejected-summary").textContent = `${page.total} rejected events kept${before ? "; showing older ones" : ""}`;
  $("rejected-rows").replaceChildren(...page.items.map((r) => row([when(r.rejectedAt), r.source, r.productId ?? "", r.reason, r.rawExcerpt ?? ""])));
  $("rejected-older").disabled = !next;
  $("rejected-newest").disabled = !before;
}

export function wireRejected() {
  $("rejected-older").addEventListener("click", async () => { before = next; await refreshRejected(); });
  $("rejected-newest").addEventListener("click", async () => { before = null; await refreshRejected(); });
}
