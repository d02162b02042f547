// The console: plain ES modules over the client's HTTP API, no build step, nothing fetched from elsewhere.
import { $, showError } from "./api.js";
import { refreshCluster, refreshQueue } from "./cluster.js";
import { refreshModels } from "./models.js";
import { refreshRejected, wireRejected } from "./rejected.js";
import { loadSuggestions, wireSearch } from "./search.js";
import { wireProduct } from "./product.js";
import { wireQuality } from "./quality.js";
import { refreshQueue as refreshReviewQueue, refreshReviewed, wireReview } from "./review.js";
import { refreshTraining, wireTraining } from "./training.js";
import { stackTables } from "./stack.js";

for (const [id, key] of [["token", "adminToken"], ["operator", "operator"]]) {
  $(id).value = localStorage.getItem(key) ?? "";
  $(id).addEventListener("change", () => localStorage.setItem(key, $(id).value));
}

async function refreshAll() {
  try {
    await Promise.all([refreshCluster(), refreshQueue(), refreshModels(refreshAll), refreshTraining(), refreshRejected()]);
  } catch (error) {
    showError(error.message);
  }
}

stackTables();
wireTraining();
wireQuality();
wireSearch();
wireRejected();
wireReview();
wireProduct(async () => { await refreshReviewed(); await refreshReviewQueue(); });
refreshAll();
loadSuggestions().catch((error) => showError(error.message));
// Counted on load and after each review, not on the 5-second refresh: counting pages through every reviewed product.
refreshReviewed().catch((error) => showError(error.message));
setInterval(refreshAll, 5000);
