// The search page as a table: the same products as the cards, one row each, for scanning many at once.
import { percent, row, when } from "./api.js";

const columns = ["id", "name", "colour", "type", "brand", "status", "lowest confidence", "last change"];

/** The catalogue's value, else the model's with its confidence (the value a reader of the row acts on). */
function value(product, name) {
  const catalogue = product.knownAttributes?.[name];
  if (catalogue) return catalogue;
  const predicted = product.enrichment?.attributes?.[name];
  return predicted ? `${predicted.value} (model ${percent(predicted.confidence)})` : "";
}

function lowestConfidence(product) {
  const confidences = Object.values(product.enrichment?.attributes ?? {}).map((a) => a.confidence);
  return confidences.length ? percent(Math.min(...confidences)) : "";
}

export function productTable(products) {
  const table = document.createElement("table");
  table.className = "products";
  const head = document.createElement("tr");
  for (const name of columns) head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: name }));
  table.createTHead().append(head);
  const body = table.createTBody();
  for (const p of products) {
    const tr = row([p.productId, p.name, value(p, "colour"), value(p, "type"), value(p, "brand"),
      p.enrichmentStatus, lowestConfidence(p), when(p.updatedAt)]);
    // A row opens the product's detail, as a card does (the console's one click rule for [data-product-id]).
    tr.dataset.productId = p.productId;
    tr.tabIndex = 0;
    body.append(tr);
  }
  return table;
}
