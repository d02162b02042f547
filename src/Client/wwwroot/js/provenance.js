// Where a product's attribute value comes from (catalogue, reviewed, auto-applied, suggested), as a badge, and the
// trail behind an auto-applied value: the model version, what it read, the threshold and the precision measured above it.
import { percent, text } from "./api.js";

/** "catalogue" | "reviewed" | "auto" | "suggested", or null when the product has no value and no prediction for it. */
export function provenanceOf(product, name) {
  const value = product.provenance?.[name];
  return value ? String(value).toLowerCase() : null;
}

const threshold = (x) => (x === undefined || x === null ? "none" : Number(x).toFixed(3));

/** In words: why the attribute has the provenance it has. */
export function provenanceTrail(product, name) {
  const kind = provenanceOf(product, name);
  const predicted = product.enrichment?.attributes?.[name];
  const model = product.enrichment?.modelVersion;
  switch (kind) {
    case "catalogue": return "sent by the catalogue";
    case "reviewed": return "accepted or corrected by a reviewer";
    case "auto":
      return `auto-applied by ${model} (reads ${predicted.input ?? "photo"}): confidence ${percent(predicted.confidence)} ≥ threshold `
        + `${threshold(predicted.autoApplyThreshold)}, where the measured precision is ${percent(predicted.measuredPrecision)}`;
    case "suggested":
      return predicted?.autoApplyThreshold === null || predicted?.autoApplyThreshold === undefined
        ? `suggested by ${model} (reads ${predicted?.input ?? "photo"}): this version has no auto-apply threshold for ${name}`
        : `suggested by ${model} (reads ${predicted.input ?? "photo"}): confidence ${percent(predicted.confidence)} below threshold `
          + `${threshold(predicted.autoApplyThreshold)}`;
    default: return "";
  }
}

/** A small badge naming the provenance, its trail as the title; null when the attribute has none. */
export function provenanceBadge(product, name) {
  const kind = provenanceOf(product, name);
  if (!kind) return null;
  const badge = text(kind, `badge prov-${kind}`);
  badge.dataset.provenance = kind;
  badge.title = provenanceTrail(product, name);
  return badge;
}
