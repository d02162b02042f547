// The facet panel beside the search form: per attribute, the values that occur among the matches in the catalogue's
// spelling, with counts, as checkboxes. Several values of one attribute match any of them, values of different
// attributes must all match (what the API does with repeated parameters). The form's text input of an attribute is one
// more value: the panel shows it ticked, and unticking it empties the input.
import { $, api } from "./api.js";

export const attributes = ["colour", "type", "brand", "category", "subcategory", "usage"];

/** A value as search compares it (AttributeNames.NormalizeValue): spaces collapsed, lower case, composed. */
export const normalized = (value) => String(value).split(" ").filter(Boolean).join(" ").toLowerCase().normalize("NFC");

// Values ticked in the panel, per attribute: normalised value -> the spelling shown.
const ticked = new Map(attributes.map((a) => [a, new Map()]));
let latest = 0;
let changed = () => {};

const input = (attribute) => $("search-form").elements[attribute];

/** Every value asked for an attribute: the typed one first, then the ticked ones, each value once. */
export function selectedValues(attribute) {
  const values = new Map();
  const typed = input(attribute).value.trim();
  if (typed) values.set(normalized(typed), typed);
  for (const [key, value] of ticked.get(attribute)) if (!values.has(key)) values.set(key, value);
  return [...values.values()];
}

/** Takes a query's values (a link, the browser's back): the first of each attribute in its input, the others ticked. */
export function selectFrom(query) {
  for (const attribute of attributes) {
    const [first = "", ...others] = query.getAll(attribute);
    input(attribute).value = first;
    ticked.set(attribute, new Map(others.map((v) => [normalized(v), v])));
  }
}

/** @param onChange called after a tick or untick, to search again */
export function wireFacets(onChange) {
  changed = onChange;
}

/**
 * Draws the panel for the search <paramref name="query"/>. An attribute with values asked for is counted without its
 * own filter (one more facet request each), so its other values stay on offer with the counts they would add.
 * @param facets the facets of the search itself
 */
export async function showFacets(query, facets) {
  const ticket = ++latest;
  const own = await Promise.all(attributes.map(async (attribute) => {
    if (!query.getAll(attribute).length) return facets.find((f) => f.attribute === attribute)?.values ?? [];
    const without = new URLSearchParams(query);
    without.delete(attribute);
    for (const [key, value] of [["limit", "1"], ["total", "false"], ["facets", "true"]]) without.set(key, value);
    without.delete("after");
    const page = await api(`/api/products?${without}`);
    return page.facets?.find((f) => f.attribute === attribute)?.values ?? [];
  }));
  if (ticket !== latest) return;
  // A keyboard user who just ticked a value keeps their place: the same choice has the focus in the new panel.
  const focused = $("facets").contains(document.activeElement) ? document.activeElement : null;
  $("facets").replaceChildren(...attributes.map((attribute, i) => facetGroup(attribute, own[i], query.getAll(attribute))).filter(Boolean));
  $("facets").dataset.query = String(query);
  if (focused?.type === "checkbox") {
    const attribute = focused.closest("fieldset")?.dataset.attribute;
    [...$("facets").querySelectorAll(`fieldset[data-attribute="${attribute}"] input[type=checkbox]`)]
      .find((box) => normalized(box.value) === normalized(focused.value))?.focus();
  }
}

function facetGroup(attribute, values, asked) {
  const chosen = new Map(asked.map((v) => [normalized(v), v]));
  const shown = values.map((v) => ({ value: v.value, count: v.count }));
  // A value asked for but not among the most frequent stays on offer, ticked, so it can be unticked.
  for (const [key, value] of chosen) if (!shown.some((v) => normalized(v.value) === key)) shown.push({ value, count: null });
  if (!shown.length) return null;
  const group = document.createElement("fieldset");
  group.dataset.attribute = attribute;
  const legend = document.createElement("legend");
  legend.textContent = attribute;
  group.append(legend, ...shown.map((v) => facetChoice(attribute, v, chosen.has(normalized(v.value)))));
  return group;
}

function facetChoice(attribute, { value, count }, checked) {
  const label = document.createElement("label");
  label.dataset.value = value;
  if (count !== null) label.dataset.count = String(count);
  const box = Object.assign(document.createElement("input"), { type: "checkbox", value, checked });
  box.addEventListener("change", () => {
    const key = normalized(value);
    if (box.checked) {
      ticked.get(attribute).set(key, value);
    } else {
      ticked.get(attribute).delete(key);
      if (normalized(input(attribute).value.trim()) === key) input(attribute).value = "";
    }
    changed();
  });
  const counted = document.createElement("span");
  counted.className = "count";
  counted.textContent = count === null ? "" : String(count);
  label.append(box, ` ${value} `, counted);
  return label;
}
