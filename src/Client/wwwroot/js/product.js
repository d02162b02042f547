// One product in full: photo, catalogue beside model values with confidence and version, where each value comes from
// (and, for an auto-applied one, the version, input, threshold and precision behind it), reviews, history, actions.
import { $, admin, api, percent, row, showError, text, when } from "./api.js";
import { confirmNew, decide, knownValues, undo, valuePicker } from "./decisions.js";
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
  showGallery(product);
  $("detail-name").textContent = product.name;
  $("detail-status").textContent = `enrichment ${product.enrichmentStatus}${product.enrichmentNote ? ": " + product.enrichmentNote : ""}; updated ${when(product.updatedAt)}`;
  $("detail-caption").textContent = product.enrichment?.caption ? `caption: “${product.enrichment.caption}”` : "";
  $("detail-attributes").replaceChildren(...attributes.map((name) => attributeRow(product, name)));
  $("detail-reviews").replaceChildren(...[...(product.reviewHistory ?? [])].reverse().map(historyLine));
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
  const model = predicted ? `${predicted.value} (${percent(predicted.confidence)}, ${product.enrichment.modelVersion}, reads ${predicted.input ?? "photo"}${fromPhoto(product, predicted)})` : "";
  const reviewText = review
    ? `${review.acceptedModel ? "accepted" : "corrected"} by ${review.by}, ${when(review.at)}${review.newValue ? " (new value)" : ""}; `
      + `catalogue said ${review.catalogueBefore ?? "nothing"}, model ${review.modelValue ?? "nothing"}`
    : "";
  const actions = document.createElement("span");
  actions.className = "actions";
  if (reviewable.has(name)) {
    if (predicted) actions.append(button("Accept model", "accept", () => record(name, null)));
    const picker = valuePicker(name);
    actions.append(picker.element, button("Correct", "correct", () => picker.value() && record(name, picker.value(), false, actions)));
    if (review) actions.append(button("Undo", "undo", () => takeBack(name)));
  }
  const tr = row([name, catalogue, model, reviewText, provenanceCell(product, name), actions]);
  tr.dataset.attribute = name;
  return tr;
}

// The product's photos: the one shown large (click to zoom), and a strip of all of them in order to pick from.
function showGallery(product) {
  const photos = product.images?.length ? product.images : product.image ? [product.image] : [];
  const strip = $("detail-gallery");
  strip.hidden = photos.length < 2;
  strip.replaceChildren(...photos.map((photo, index) => {
    const thumb = document.createElement("button");
    thumb.type = "button";
    thumb.className = "thumb";
    thumb.dataset.photo = String(index);
    thumb.title = index === 0 ? "photo 1 (primary)" : `photo ${index + 1}`;
    thumb.setAttribute("aria-label", thumb.title);
    const img = document.createElement("img");
    img.src = `/api/images/${photo.sha256}`;
    img.alt = thumb.title;
    thumb.append(img);
    thumb.addEventListener("click", () => showPhoto(product, photos, index));
    return thumb;
  }));
  showPhoto(product, photos, 0);
}

function showPhoto(product, photos, index) {
  const main = $("detail-photo");
  main.classList.remove("zoomed");
  main.src = photos[index] ? `/api/images/${photos[index].sha256}` : "";
  main.alt = photos.length > 1 ? `${product.name}, photo ${index + 1} of ${photos.length}` : product.name;
  main.dataset.photo = String(index);
  for (const thumb of $("detail-gallery").children) thumb.classList.toggle("selected", thumb.dataset.photo === String(index));
}

// Which photo drove a pooled value, said only where there was a choice.
function fromPhoto(product, predicted) {
  const photos = product.enrichment?.photos ?? 1;
  return photos > 1 && predicted.photo != null ? `, from photo ${predicted.photo + 1} of ${photos}` : "";
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

function historyLine(e) {
  const li = document.createElement("li");
  li.dataset.entry = e.entry;
  li.dataset.action = String(e.action).toLowerCase();
  const what = e.action === "Undone" ? `undid #${e.undoes}` : String(e.action).toLowerCase();
  li.textContent = `#${e.entry} ${when(e.at)}: ${e.attribute} ${what} by ${e.by}, ${e.from ?? "nothing"} → ${e.to ?? "nothing"}`
    + `${e.newValue ? " (new value)" : ""}${e.note ? ` — ${e.note}` : ""}`;
  return li;
}

/** A decision on the shown product; an unknown value is offered back with the closest known ones and a confirmation. */
async function record(attribute, value, newValue = false, actions = null) {
  const result = await decide(shown.productId, attribute, value, newValue);
  if (result.ok) {
    await changed(result.body.productId, value !== null);
  } else if (result.status === 409 && actions) {
    actions.querySelector(".confirm-new")?.remove();
    actions.append(confirmNew(value, result.problem, (picked, confirmed) => record(attribute, picked, confirmed, actions)));
  } else {
    showError(result.problem.detail ?? result.problem.title);
  }
}

async function takeBack(attribute) {
  const result = await undo(shown.productId, attribute);
  if (result.ok) await changed(result.body.productId, true);
  else showError(result.problem.detail ?? result.problem.title);
}

async function changed(productId, valuesChanged) {
  // A new value becomes a known one: the pickers list it from now on.
  if (valuesChanged) await knownValues("colour", true);
  await showProduct(productId);
  await afterChange();
}

export function wireProduct(onChange) {
  afterChange = onChange;
  $("detail-close").addEventListener("click", () => { $("detail").hidden = true; shown = null; });
  $("detail-photo").addEventListener("click", () => $("detail-photo").classList.toggle("zoomed"));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") $("detail-photo").classList.remove("zoomed");
    // A focused table row opens with Enter, as a click does.
    const row = event.key === "Enter" ? event.target.closest?.("tr[data-product-id]") : null;
    if (row) showProduct(row.dataset.productId).catch((error) => showError(error.message));
  });
  $("detail-enrich").addEventListener("click", async () => {
    if (shown && await admin(`/api/admin/products/${encodeURIComponent(shown.productId)}/enrich`)) await showProduct(shown.productId);
  });
  // Any product card anywhere opens its detail.
  document.addEventListener("click", (event) => {
    // A card's own controls (review actions, selection) act on it; anywhere else on it opens the detail.
    if (event.target.closest?.("button, input, select, label, .confirm-new")) return;
    const card = event.target.closest?.(".card[data-product-id], tr[data-product-id]");
    if (card) showProduct(card.dataset.productId).catch((error) => showError(error.message));
  });
}
