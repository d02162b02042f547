// Tables that stack on narrow screens: each row becomes a block of labelled cells (the labels are the table's own
// headers), and the columns a team acts on (actions, reasons: headers marked data-first) come first, so nothing has
// to be scrolled sideways to be read or pressed. Rows are rendered by many panels; this labels them as they arrive.
function labelRows(table) {
  const headers = [...table.tHead.rows[0].cells];
  for (const row of table.tBodies[0]?.rows ?? []) {
    [...row.cells].forEach((cell, i) => {
      const header = headers[i];
      if (!header || cell.colSpan > 1) return;
      cell.dataset.label = header.dataset.label ?? header.textContent.trim();
      cell.classList.toggle("first", "first" in header.dataset);
    });
  }
}

/** Makes the table (with a header row and a body) stack on narrow screens, rows added later included. */
export function stack(table) {
  table.classList.add("stack");
  labelRows(table);
  new MutationObserver(() => labelRows(table)).observe(table.tBodies[0], { childList: true });
}

export function stackTables(root = document) {
  for (const table of root.querySelectorAll("table.stack")) stack(table);
}
