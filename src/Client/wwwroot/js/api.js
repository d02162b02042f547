// The client's HTTP API, and the few formatting rules every panel shares.
const $ = (id) => document.getElementById(id);
export { $ };

export function text(value, className) {
  const span = document.createElement("span");
  span.textContent = value ?? "";
  if (className) span.className = className;
  return span;
}

export function row(cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.append(cell instanceof Node ? cell : text(cell));
    tr.append(td);
  }
  return tr;
}

export function showError(message) {
  const box = $("message");
  box.textContent = message;
  box.classList.toggle("visible", Boolean(message));
}

export async function api(path, options = {}) {
  const response = await fetch(path, options);
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    throw new Error(body?.detail ?? body?.title ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

export async function admin(path, body) {
  try {
    const result = await api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Admin-Token": $("token").value },
      body: JSON.stringify(body ?? {}),
    });
    showError("");
    return result;
  } catch (error) {
    showError(error.message);
    return null;
  }
}

export const percent = (x) => (x === undefined || x === null ? "" : `${(100 * x).toFixed(1)} %`);

// Dates in the viewer's time zone, with the zone named: a team spread over zones reads the same instant.
const dateFormat = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short" };
export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, dateFormat) : "");
