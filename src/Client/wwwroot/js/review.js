// The review queues: confident disagreements with the catalogue, and unsure predictions. Each card takes its decision
// where it is (accept, correct from the known values, skip, undo), many can be accepted at once, and the keyboard does
// all of it (j / k next / previous, a accept, c correct, s skip, x select, u undo). The queue shows its length and how
// far this session has got through it; and how many reviewed labels the next retraining will learn from.
import { $, api, showError, text } from "./api.js";
import { acceptMany, confirmNew, decide, knownValues, undo, valuePicker } from "./decisions.js";
import { pager } from "./pager.js";
import { productCard } from "./search.js";

let queue = null;
let attribute = "colour";
let total = 0;
let capped = false;
const done = { reviewed: 0, skipped: 0 };

const cards = () => [...$("review-results").querySelectorAll(".card[data-product-id]")];

function showSummary() {
  const decided = done.reviewed + done.skipped;
  $("review-summary").textContent = `${capped ? "more than " : ""}${total} products in this queue; this session: ${done.reviewed} reviewed, `
    + `${done.skipped} skipped (${decided} of ${total + done.reviewed} done)`;
  $("review-progress").hidden = false;
  $("review-progress").max = Math.max(1, total + done.reviewed);
  $("review-progress").value = done.reviewed + done.skipped;
}

function showPage(page) {
  total = page.total ?? 0;
  capped = Boolean(page.totalCapped);
  const items = page.items.map(reviewCard);
  $("review-results").replaceChildren(...(items.length ? items
    : [Object.assign(document.createElement("p"), { textContent: "Nothing to review here." })]));
  $("review-select-all").disabled = $("review-accept-selected").disabled = items.length === 0;
  showSummary();
  items[0]?.focus();
}

function reviewCard(product) {
  const card = productCard(product);
  card.tabIndex = 0;
  card.classList.add("review-card");
  card.setAttribute("aria-label", `${product.productId}: ${product.name}`);
  const bar = document.createElement("div");
  bar.className = "review-actions actions";
  const select = Object.assign(document.createElement("input"), { type: "checkbox", title: "select for a bulk accept (x)" });
  select.dataset.action = "select";
  const predicted = product.enrichment?.attributes?.[attribute]?.value;
  bar.append(select,
    button(predicted ? `Accept ${predicted}` : "Accept", "accept", () => accept(card)),
    button("Correct", "correct", () => openCorrection(card)),
    button("Skip", "skip", () => skip(card)),
    button("Undo", "undo", () => takeBack(card), true));
  card.append(bar, text("", "outcome"));
  return card;
}

function button(label, action, onClick, hidden = false) {
  const b = Object.assign(document.createElement("button"), { type: "button", textContent: label, hidden });
  b.dataset.action = action;
  b.addEventListener("click", onClick);
  return b;
}

function mark(card, state, message) {
  const was = card.dataset.state;
  card.dataset.state = state;
  card.querySelector(".outcome").textContent = message;
  card.querySelector("[data-action=undo]").hidden = state !== "reviewed";
  card.querySelector("[data-action=select]").checked = false;
  if (was === "reviewed" && state !== "reviewed") { done.reviewed--; total++; }
  if (was === "skipped" && state !== "skipped") done.skipped--;
  if (state === "reviewed" && was !== "reviewed") { done.reviewed++; total--; }
  if (state === "skipped" && was !== "skipped") done.skipped++;
  showSummary();
}

function reviewed(card, product) {
  const review = product.reviews?.[attribute];
  mark(card, "reviewed", `✓ ${review.acceptedModel ? "accepted" : "corrected to"} ${review.value} by ${review.by}${review.newValue ? " (new value)" : ""}`);
}

function next(card, step = 1) {
  const all = cards();
  const target = all[all.indexOf(card) + step];
  if (target) target.focus();
}

async function accept(card) {
  const result = await decide(card.dataset.productId, attribute, null);
  if (!result.ok) return failed(card, result);
  reviewed(card, result.body);
  next(card);
  await refreshReviewed();
}

function openCorrection(card) {
  card.querySelector(".correction")?.remove();
  const box = document.createElement("div");
  box.className = "correction actions";
  const picker = valuePicker(attribute);
  const save = button("Save", "save-correction", () => correct(card, box, picker.value(), false));
  // Enter in the picker saves: a keyboard-only correction is c, arrow keys, Enter.
  box.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && picker.value()) { event.preventDefault(); correct(card, box, picker.value(), false); }
    if (event.key === "Escape") { box.remove(); card.focus(); }
    event.stopPropagation();
  });
  box.append(picker.element, save);
  card.querySelector(".review-actions").after(box);
  picker.focus();
}

async function correct(card, box, value, newValue) {
  if (!value) return;
  const result = await decide(card.dataset.productId, attribute, value, newValue);
  if (result.ok) {
    box.remove();
    reviewed(card, result.body);
    if (newValue) await knownValues(attribute, true);
    next(card);
    await refreshReviewed();
  } else if (result.status === 409) {
    box.querySelector(".confirm-new")?.remove();
    box.append(confirmNew(value, result.problem, (picked, confirmed) => correct(card, box, picked, confirmed)));
  } else {
    failed(card, result);
  }
}

function skip(card) {
  mark(card, "skipped", "skipped");
  next(card);
}

async function takeBack(card) {
  if (card.dataset.state !== "reviewed") return;
  const result = await undo(card.dataset.productId, attribute);
  if (!result.ok) return failed(card, result);
  const value = result.body.knownAttributes?.[attribute];
  mark(card, "", `↶ undone: ${attribute} is ${value ?? "unset"} again`);
  await refreshReviewed();
}

function failed(card, result) {
  const why = result.problem?.detail ?? result.problem?.title ?? `refused (${result.status})`;
  card.querySelector(".outcome").textContent = `✗ ${why}`;
  showError(why);
}

async function acceptSelected() {
  const chosen = cards().filter((c) => c.querySelector("[data-action=select]").checked && c.dataset.state !== "reviewed");
  if (chosen.length === 0) return showError("select the cards to accept first (their checkbox, or x on a card)");
  const result = await acceptMany(chosen.map((c) => ({ productId: c.dataset.productId, attribute })));
  if (!result.ok) return showError(result.problem.detail ?? result.problem.title);
  const byId = new Map(chosen.map((c) => [c.dataset.productId, c]));
  for (const r of result.body.results) {
    const card = byId.get(r.productId);
    if (r.status === 200) mark(card, "reviewed", `✓ accepted ${r.entry.to} by ${r.entry.by}`);
    else card.querySelector(".outcome").textContent = `✗ ${r.problem}`;
  }
  $("review-summary").textContent += `; bulk: ${result.body.reviewed} accepted, ${result.body.failed} failed`;
  if (result.body.failed > 0) showError(`${result.body.failed} of ${chosen.length} were not accepted: see their cards`);
  await refreshReviewed();
}

function onKey(event) {
  const card = event.target.closest?.(".review-card");
  if (!card || event.target !== card || event.ctrlKey || event.metaKey || event.altKey) return;
  const actions = {
    j: () => next(card, 1), k: () => next(card, -1), a: () => accept(card), c: () => openCorrection(card), s: () => skip(card),
    u: () => takeBack(card), x: () => { const box = card.querySelector("[data-action=select]"); box.checked = !box.checked; },
  };
  const action = actions[event.key];
  if (action) {
    event.preventDefault();
    Promise.resolve(action()).catch((error) => showError(error.message));
  }
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
    attribute = query.get("attribute") ?? "colour";
    query.set("limit", "12");
    done.reviewed = done.skipped = 0;
    // Nothing of the last queue stays on screen while the new one loads: its cards would read as the new queue's.
    $("review-results").replaceChildren();
    $("review-summary").textContent = "Loading the queue…";
    await queue.start(query);
  });
  $("review-results").addEventListener("keydown", onKey);
  $("review-select-all").addEventListener("click", () => {
    for (const c of cards()) if (c.dataset.state !== "reviewed") c.querySelector("[data-action=select]").checked = true;
  });
  $("review-accept-selected").addEventListener("click", () => acceptSelected().catch((error) => showError(error.message)));
}
