// One product in full: photo, catalogue beside model values with confidence and version, where each value comes from
// (and, for an auto-applied one, the version, input, threshold and precision behind it), reviews, history, actions.
import { $, admin, api, percent, row, showError, text, when } from "./api.js";
import { provenanceBadge, provenanceTrail } from "./provenance.js";

const attributes = ["colour", "type", "brand", "category", "subcategory", "usage"];
const reviewable = new Set(["colour", "type", "brand"]);
let shown = null;
let afterChange = async () => {};

export async function showProduct(productId) {
  const product = await api(`/api/products/${encodeURIComponent(productId)}`);
  shown = product;
  $("detail").hidden = false;
  $("detail-id").textContent = product.productId;
  $("detail-photo").src = product.image ? `/api/images/${product.image.sha256}` : "";
  $("detail-photo").alt = product.name;
  $("detail-name").textContent = product.name;
  $("detail-status").textContent = `enrichment ${product.enrichmentStatus}${product.enrichmentNote ? ": " + product.enrichmentNote : ""}; updated ${when(product.updatedAt)}`;
  $("detail-caption").textContent = product.enrichment?.caption ? `caption: “${product.enrichment.caption}”` : "";
  $("detail-attributes").replaceChildren(...attributes.map((name) => attributeRow(product, name)));
  $("detail-events").replaceChildren(...[...product.recentEvents].reverse().map((e) => {
    const li = document.createElement("li");
    li.textContent = `${when(e.at)}: event ${e.eventId} (version ${e.version})`;
    return li;
  }));
  $("detail").scrollIntoView({ block: "start" });
}

function attributeRow(product, name) {
  const catalogue = product.knownAttributes?.[name] ?? "";
  const predicted = product.enrichment?.attributes?.[name];
  const review = product.reviews?.[name];
  const model = predicted ? `${predicted.value} (${percent(predicted.confidence)}, ${product.enrichment.modelVersion}, reads ${predicted.input ?? "photo"})` : "";
  const reviewText = review
    ? `${review.acceptedModel ? "accepted" : "corrected"} by ${review.by}, ${when(review.at)}; catalogue said ${review.catalogueBefore ?? "nothing"}, model ${review.modelValue ?? "nothing"}`
    : "";
  const actions = document.createElement("span");
  actions.className = "actions";
  if (reviewable.has(name)) {
    if (predicted) actions.append(button("Accept model", "accept", () => decide(name, null)));
    const input = Object.assign(document.createElement("input"), { placeholder: "correct value", name: `correct-${name}` });
    input.setAttribute("list", `values-${name}`);
    actions.append(input, button("Correct", "correct", () => input.value.trim() && decide(name, input.value.trim())));
  }
  const tr = row([name, catalogue, model, reviewText, provenanceCell(product, name), actions]);
  tr.dataset.attribute = name;
  return tr;
}

function provenanceCell(product, name) {
  const cell = document.createElement("span");
  cell.className = "provenance";
  const badge = provenanceBadge(product, name);
  if (badge) cell.append(badge, text(` ${provenanceTrail(product, name)}`, "trail"));
  return cell;
}

function button(label, action, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.dataset.action = action;
  b.addEventListener("click", onClick);
  return b;
}

async function decide(attribute, value) {
  const by = $("operator").value.trim() || "console";
  const updated = await admin(`/api/admin/products/${encodeURIComponent(shown.productId)}/review`, { attribute, value, by });
  if (updated) {
    await showProduct(updated.productId);
    await afterChange();
  }
}

export function wireProduct(onChange) {
  afterChange = onChange;
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; shown = null; });
  $("detail-enrich").addEventListener("click", async () => {
    if (shown && await admin(`/api/admin/products/${encodeURIComponent(shown.productId)}/enrich`)) await showProduct(shown.productId);
  });
  // Any product card anywhere opens its detail.
  document.addEventListener("click", (event) => {
    const card = event.target.closest?.(".card[data-product-id]");
    if (card) showProduct(card.dataset.productId).catch((error) => showError(error.message));
  });
}
