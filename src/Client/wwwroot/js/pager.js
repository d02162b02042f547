// Cursor paging shared by the panels that list pages of an API: first page, next page, and nothing stale on error.
import { $, api, showError } from "./api.js";

/**
 * @param path API path the query string is appended to
 * @param show (page, after) => void, renders a page
 * @param failed (error) => void, clears what the panel shows
 * @param buttons { first, next } element ids
 */
export function pager(path, show, failed, buttons) {
  let state = null; // { query, after, next }
  let latest = 0;

  async function load(after) {
    const query = new URLSearchParams(state.query);
    if (after) query.set("after", after);
    // Only the latest load may draw: a reload still in flight when a new query starts must not overwrite its page.
    const ticket = ++latest;
    try {
      const page = await api(`${path}?${query}`);
      if (ticket !== latest) return;
      showError("");
      state.after = after;
      state.next = page.nextCursor ?? null;
      show(page, after);
    } catch (error) {
      if (ticket !== latest) return;
      // An error leaves nothing stale on screen: old results under a new error would read as the answer.
      state.next = null;
      failed(error);
      showError(error.message);
    }
    $(buttons.next).disabled = !state.next;
    $(buttons.first).disabled = !state.after;
  }

  $(buttons.next).addEventListener("click", () => state?.next && load(state.next));
  $(buttons.first).addEventListener("click", () => state && load(null));
  return {
    start: (query) => { state = { query, after: null, next: null }; return load(null); },
    reload: () => (state ? load(state.after) : Promise.resolve()),
  };
}
