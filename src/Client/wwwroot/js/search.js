// Product search: every searchable attribute, words, provenance, value suggestions with counts, a sort (the form's
// sort select: one order for cards and table alike, continued by the cursor), cursor paging, and cards that show the
// catalogue's value beside the model's, each with where the value comes from.
import { $, api, percent, text } from "./api.js";
import { pager } from "./pager.js";
import { provenanceBadge } from "./provenance.js";
import { productTable } from "./table.js";

const attributes = ["colour", "type", "brand", "category", "subcategory", "usage"];
let results = null;
let shownItems = [];

function queryFromForm() {
  const query = new URLSearchParams();
  for (const [key, value] of new FormData($("search-form"))) if (String(value).trim()) query.set(key, String(value).trim());
  query.set("facets", "true");
  return query;
}

function showPage(page, after) {
  const total = page.total ?? 0;
  $("search-summary").textContent = total === 0
    ? "No product matches. Check the spelling against the suggestions, or widen the search."
    : `${page.estimated ? "about " : ""}${total} products match; showing ${page.items.length}${after ? " (a later page)" : ""}`;
  shownItems = page.items;
  showItems();
  showSuggestions(page.facets ?? []);
}

/** The page as cards or as a table (the view toggle), the same products either way. */
function showItems() {
  const asTable = $("view-table").getAttribute("aria-pressed") === "true";
  $("results").replaceChildren(...(asTable ? [] : shownItems.map(productCard)));
  $("results-table").replaceChildren(...(asTable && shownItems.length ? [productTable(shownItems)] : []));
  $("results-table").hidden = !asTable;
}

function wireViewToggle() {
  for (const [id, other] of [["view-cards", "view-table"], ["view-table", "view-cards"]]) {
    $(id).addEventListener("click", () => {
      $(id).setAttribute("aria-pressed", "true");
      $(other).setAttribute("aria-pressed", "false");
      showItems();
    });
  }
}

function showFailure(error) {
  shownItems = [];
  showItems();
  $("search-summary").textContent = `Search failed: ${error.message}`;
}

const provenanceKinds = ["catalogue", "reviewed", "auto", "suggested"];

/** The provenance filter's choices with the facet's counts: each kind, then each attribute's kinds that occur. */
function showProvenance(facet) {
  if (!facet) return;
  const select = $("provenance-filter");
  const chosen = select.value;
  const counts = new Map((facet?.values ?? []).map((v) => [v.value, v.count]));
  const values = [...provenanceKinds, ...[...counts.keys()].filter((v) => v.includes(":")).sort()];
  if (chosen && !values.includes(chosen)) values.push(chosen);
  const any = Object.assign(document.createElement("option"), { value: "", textContent: "any" });
  select.replaceChildren(any, ...values.map((value) => Object.assign(document.createElement("option"), {
    value, textContent: `${value.replace(":", " ")} (${counts.get(value) ?? 0})`,
  })));
  select.value = chosen;
}

function showSuggestions(facets) {
  showProvenance(facets.find((f) => f.attribute === "provenance"));
  for (const facet of facets.filter((f) => f.attribute !== "provenance")) {
    let list = $(`values-${facet.attribute}`);
    if (!list) {
      list = document.createElement("datalist");
      list.id = `values-${facet.attribute}`;
      $("suggestions").append(list);
    }
    list.replaceChildren(...facet.values.map((v) => Object.assign(document.createElement("option"), { value: v.value, label: `${v.count}` })));
  }
}

function attributeLine(name, product) {
  const catalogue = product.knownAttributes?.[name];
  const predicted = product.enrichment?.attributes?.[name];
  const line = document.createElement("div");
  line.className = "attribute";
  line.dataset.attribute = name;
  line.append(text(`${name}: `, "name"));
  if (catalogue) line.append(text(catalogue, "catalogue"));
  if (predicted) {
    const agrees = catalogue && catalogue.toLowerCase() === predicted.value.toLowerCase();
    line.append(text(`${catalogue ? " · " : ""}model ${predicted.value} ${percent(predicted.confidence)}`, agrees || !catalogue ? "predicted" : "predicted differs"));
  }
  const badge = provenanceBadge(product, name);
  if (badge) line.append(" ", badge);
  return line;
}

export function productCard(p) {
  const card = document.createElement("div");
  card.className = "card";
  card.dataset.productId = p.productId;
  if (p.image) {
    const img = document.createElement("img");
    img.src = `/api/images/${p.image.sha256}`;
    img.alt = p.name;
    card.append(img);
  }
  card.append(text(`${p.productId}: ${p.name}`, "title"));
  for (const name of attributes) {
    if (p.knownAttributes?.[name] || p.enrichment?.attributes?.[name]) card.append(attributeLine(name, p));
  }
  const enrichment = p.enrichment;
  if (enrichment?.error) {
    card.append(text(`unreadable image: ${enrichment.error}`, "note"));
  } else if (enrichment) {
    card.append(text(`“${enrichment.caption ?? ""}” — ${enrichment.modelVersion}`, "note"));
  }
  const reviews = Object.entries(p.reviews ?? {});
  if (reviews.length) {
    const mark = text(`✓ reviewed: ${reviews.map(([name, r]) => `${name} by ${r.by}`).join(", ")}`, "reviewed-mark");
    card.dataset.reviewed = "true";
    card.append(mark);
  }
  if (p.enrichmentStatus !== "Enriched") {
    card.append(text(`enrichment ${p.enrichmentStatus}${p.enrichmentNote ? ": " + p.enrichmentNote : ""}`, "note"));
  }
  return card;
}

export function wireSearch() {
  results = pager("/api/products", showPage, showFailure, { first: "first-page", next: "next-page" });
  wireViewToggle();
  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await Promise.all([results.start(queryFromForm()), lookUp($("search-form").elements.q.value.trim())]);
  });
}

/**
 * Words that are one product id ("2028") also open that product above the matches: ids are not words of a name or
 * caption, so search alone would find nothing.
 */
async function lookUp(words) {
  const found = $("lookup");
  found.replaceChildren();
  if (!words || /\s/.test(words) || words.length > 128) return;
  const response = await fetch(`/api/products/${encodeURIComponent(words)}`);
  if (!response.ok) return;
  const card = productCard(await response.json());
  card.classList.add("lookup");
  found.replaceChildren(text(`Product id ${words}:`, "status"), card);
}

/** Suggestions for an empty form: the catalogue's most frequent values. */
export async function loadSuggestions() {
  const page = await api("/api/products?limit=1&facets=true&total=false");
  showSuggestions(page.facets ?? []);
}
