// Review decisions shared by the queue cards and the product detail: accept, correct (from the attribute's known values,
// or a new value once confirmed), undo, and many accepts at once. A refusal comes back as the API's problem, so the
// caller can offer the closest known values and a confirmation instead of a dead end.
import { $, api, showError } from "./api.js";

const reviewer = () => $("operator").value.trim() || "console";

async function post(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Admin-Token": $("token").value },
    body: JSON.stringify(body),
  });
  const json = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (response.ok) {
    showError("");
    return { ok: true, body: json };
  }
  return { ok: false, status: response.status, problem: json ?? { detail: `${response.status} ${response.statusText}` } };
}

/** Accept (value null) or correct; { ok, body: product } or { ok: false, status, problem } (409: problem.closest). */
export const decide = (productId, attribute, value, newValue = false) =>
  post(`/api/admin/products/${encodeURIComponent(productId)}/review`, { attribute, value, newValue, by: reviewer() });

export const undo = (productId, attribute) =>
  post(`/api/admin/products/${encodeURIComponent(productId)}/review/undo`, { attribute, by: reviewer() });

export const acceptMany = (items) => post("/api/admin/review/bulk", { by: reviewer(), items });

// The attributes' known values with counts, as search's facets count them over the catalogue's own values.
let known = null;

export async function knownValues(attribute, refresh = false) {
  if (!known || refresh) {
    known = api("/api/products?limit=1&total=false&facets=true&source=catalogue")
      .then((page) => Object.fromEntries((page.facets ?? []).map((f) => [f.attribute, f.values])));
  }
  return (await known)[attribute] ?? [];
}

/**
 * A picker for a correction: the known values with their counts, and "new value…" that opens a text box. Returns
 * { element, value(), isTyped(), focus() }.
 */
export function valuePicker(attribute) {
  const wrap = document.createElement("span");
  wrap.className = "picker";
  const select = document.createElement("select");
  select.dataset.role = "known";
  select.setAttribute("aria-label", `known ${attribute} values`);
  const input = Object.assign(document.createElement("input"), { placeholder: `new ${attribute}`, hidden: true });
  input.dataset.role = "new";
  select.append(Object.assign(document.createElement("option"), { value: "", textContent: `pick a known ${attribute}` }));
  knownValues(attribute).then((values) => {
    select.append(...values.map((v) => Object.assign(document.createElement("option"), { value: v.value, textContent: `${v.value} (${v.count})` })),
      Object.assign(document.createElement("option"), { value: "\u0000new", textContent: "new value…" }));
  }).catch((error) => showError(error.message));
  select.addEventListener("change", () => {
    input.hidden = select.value !== "\u0000new";
    if (!input.hidden) input.focus();
  });
  wrap.append(select, input);
  return {
    element: wrap,
    select,
    input,
    value: () => (select.value === "\u0000new" ? input.value.trim() : select.value),
    focus: () => select.focus(),
  };
}

/**
 * Where a correction was refused as an unknown value: the closest known values (each a button that corrects to it)
 * and a button that confirms the typed value as new.
 */
export function confirmNew(value, problem, onPick) {
  const box = document.createElement("div");
  box.className = "confirm-new";
  box.append(`“${value}” is not a known value. `);
  for (const c of problem.closest ?? []) {
    const b = Object.assign(document.createElement("button"), { type: "button", textContent: `${c.value} (${c.count})` });
    b.dataset.action = "closest";
    b.addEventListener("click", () => onPick(c.value, false));
    box.append(b, " ");
  }
  const confirm = Object.assign(document.createElement("button"), { type: "button", textContent: `Save “${value}” as a new value` });
  confirm.dataset.action = "confirm-new";
  confirm.addEventListener("click", () => onPick(value, true));
  box.append(confirm);
  return box;
}
