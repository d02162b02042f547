// A confusion matrix as a heat map (a CSS grid): rows are the actual class, columns the predicted one; each cell's
// shade is its share of the actual class's rows, and its title says actual, predicted and count.
/**
 * @param labels class labels, in the matrix's order
 * @param confusion confusion[actual][predicted] counts
 */
export function confusionHeatMap(labels, confusion) {
  const n = labels.length;
  const grid = document.createElement("div");
  grid.className = "heatmap";
  grid.setAttribute("role", "img");
  grid.setAttribute("aria-label", `confusion matrix of ${n} classes: rows actual, columns predicted`);
  // Few classes get larger cells; many stay small enough to see the whole matrix (the box scrolls beyond that).
  grid.style.setProperty("--cell", n <= 12 ? "24px" : n <= 30 ? "18px" : "14px");
  grid.style.gridTemplateColumns = `max-content repeat(${n}, var(--cell))`;
  grid.append(Object.assign(document.createElement("span"), { className: "corner", textContent: "actual ↓ predicted →" }));
  for (const label of labels) grid.append(Object.assign(document.createElement("span"), { className: "col-label", textContent: label, title: `predicted ${label}` }));
  for (let a = 0; a < n; a++) {
    const counts = confusion[a] ?? [];
    const total = counts.reduce((sum, c) => sum + c, 0);
    grid.append(Object.assign(document.createElement("span"), { className: "row-label", textContent: labels[a], title: `actual ${labels[a]}: ${total} rows` }));
    for (let p = 0; p < n; p++) {
      const count = counts[p] ?? 0;
      const share = total > 0 ? count / total : 0;
      const cell = document.createElement("span");
      cell.className = a === p ? "cell diagonal" : "cell";
      // Right answers in blue, confusions in red; the stronger, the larger their share of the actual class.
      cell.style.backgroundColor = count === 0 ? "" : a === p ? `rgba(31, 119, 180, ${0.15 + 0.85 * share})` : `rgba(214, 39, 40, ${0.15 + 0.85 * share})`;
      cell.title = `actual ${labels[a]}, predicted ${labels[p]}: ${count}${total ? ` (${(100 * share).toFixed(1)} % of ${total})` : ""}`;
      cell.dataset.count = String(count);
      grid.append(cell);
    }
  }
  const box = document.createElement("div");
  box.className = "heatmap-box";
  box.append(grid);
  return box;
}
