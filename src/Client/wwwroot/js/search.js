// Product search: every searchable attribute, words, provenance, value suggestions and the facet panel with counts,
// a sort (the form's sort select: one order for cards and table alike, continued by the cursor), cursor paging, and
// cards that show the catalogue's value beside the model's, each with where the value comes from.
// The search is kept in the page's address (#search?colour=Black&colour=Navy%20Blue…): a link or the browser's back
// button brings it back.
import { $, api, percent, showError, text } from "./api.js";
import { attributes, selectedValues, selectFrom, showFacets, wireFacets } from "./facets.js";
import { pager } from "./pager.js";
import { provenanceBadge } from "./provenance.js";
import { productTable } from "./table.js";

let results = null;
let shownItems = [];
let shownFacets = [];
const addressPrefix = "#search?";

/** The search the form and the facet panel describe: an attribute's values repeated (any of them), the rest once. */
function queryFromForm() {
  const query = new URLSearchParams();
  for (const attribute of attributes) for (const value of selectedValues(attribute)) query.append(attribute, value);
  for (const [key, value] of new FormData($("search-form"))) {
    if (!attributes.includes(key) && String(value).trim()) query.set(key, String(value).trim());
  }
  return query;
}

/** Runs the form's search; <paramref name="remember"/>: a new entry in the browser's history (not when going back to one). */
async function search(remember = true) {
  const query = queryFromForm();
  if (remember && location.hash !== addressPrefix + query) history.pushState(null, "", addressPrefix + query);
  const asked = new URLSearchParams(query);
  asked.set("facets", "true");
  shownFacets = [];
  await Promise.all([results.start(asked), lookUp($("search-form").elements.q.value.trim())]);
  await showFacets(query, shownFacets).catch((error) => showError(error.message));
}

/** The search in the page's address, if there is one: the form and the panel take it, and it runs. */
async function searchFromAddress() {
  if (!location.hash.startsWith(addressPrefix)) return false;
  const query = new URLSearchParams(location.hash.slice(addressPrefix.length));
  selectFrom(query);
  for (const field of $("search-form").elements) {
    if (!field.name || attributes.includes(field.name)) continue;
    const value = query.get(field.name);
    if (field.tagName !== "SELECT") {
      field.value = value ?? "";
    } else {
      // The provenance choices arrive with the facets: a value asked for is offered before they do.
      if (value !== null && ![...field.options].some((o) => o.value === value)) field.append(new Option(value, value));
      field.value = value ?? ([...field.options].find((o) => o.defaultSelected) ?? field.options[0]).value;
    }
  }
  await search(false);
  return true;
}

function showPage(page, after) {
  const total = page.total ?? 0;
  $("search-summary").textContent = total === 0
    ? "No product matches. Check the spelling against the suggestions, or widen the search."
    : `${page.estimated ? "about " : ""}${total} products match; showing ${page.items.length}${after ? " (a later page)" : ""}`;
  shownItems = page.items;
  showItems();
  if (!after) shownFacets = page.facets ?? [];
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
  wireFacets(() => search());
  $("search-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    await search();
  });
  window.addEventListener("popstate", () => searchFromAddress().catch((error) => showError(error.message)));
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

/** The search the page's address holds, else suggestions and the panel for an empty form: the catalogue's most frequent values. */
export async function loadSuggestions() {
  if (await searchFromAddress()) return;
  const page = await api("/api/products?limit=1&facets=true&total=false");
  showSuggestions(page.facets ?? []);
  await showFacets(new URLSearchParams(), page.facets ?? []);
}
