// The review queues: confident disagreements with the catalogue, and unsure predictions; and how many reviewed labels
// the next retraining will learn from.
import { $, api } from "./api.js";
import { pager } from "./pager.js";
import { productCard } from "./search.js";

let queue = null;

function showPage(page) {
  $("review-results").replaceChildren(...(page.items.length
    ? page.items.map(productCard)
    : [Object.assign(document.createElement("p"), { textContent: "Nothing to review here." })]));
}

export async function refreshReviewed() {
  const counts = await api("/api/review/reviewed");
  $("reviewed-count").textContent = `${counts.reviewed} products carry reviewed labels; the next retraining learns from `
    + `${counts.usedByNextTraining} of them (the others are in the evaluation set, held out to score models, or lack a photo or a catalogue type or colour).`;
}

export async function refreshQueue() {
  await queue?.reload();
}

export function wireReview() {
  queue = pager("/api/review", showPage, () => $("review-results").replaceChildren(), { first: "review-first", next: "review-next" });
  $("review-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const query = new URLSearchParams(new FormData(event.target));
    query.set("limit", "12");
    await queue.start(query);
  });
}
