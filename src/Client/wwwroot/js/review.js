// The review queues: confident disagreements with the catalogue, and unsure predictions; and how many reviewed labels
// the next retraining will learn from.
import { $, api, showError } from "./api.js";
import { productCard } from "./search.js";

let current = null;

async function showPage(after) {
  const query = new URLSearchParams(current.query);
  query.set("limit", "12");
  if (after) query.set("after", after);
  try {
    const page = await api(`/api/review?${query}`);
    showError("");
    current.after = after;
    current.next = page.nextCursor ?? null;
    $("review-results").replaceChildren(...(page.items.length ? page.items.map(productCard) : [Object.assign(document.createElement("p"), { textContent: "Nothing to review here." })]));
  } catch (error) {
    current.next = null;
    $("review-results").replaceChildren();
    showError(error.message);
  }
  $("review-next").disabled = !current.next;
  $("review-first").disabled = !current.after;
}

export async function refreshReviewed() {
  const counts = await api("/api/review/reviewed");
  $("reviewed-count").textContent = `${counts.reviewed} products carry reviewed labels; the next retraining learns from `
    + `${counts.usedByNextTraining} of them (the others are in the evaluation set, held out to score models).`;
}

export async function refreshQueue() {
  if (current) await showPage(current.after);
}

export function wireReview() {
  $("review-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    current = { query: new URLSearchParams(new FormData(event.target)), after: null, next: null };
    await showPage(null);
  });
  $("review-next").addEventListener("click", () => current?.next && showPage(current.next));
  $("review-first").addEventListener("click", () => current && showPage(null));
}
