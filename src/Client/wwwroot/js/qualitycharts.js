// The two curves of a quality report, drawn with uPlot (shipped with the page): the reliability diagram (accuracy per
// confidence bin against the diagonal of perfect calibration) and coverage versus precision (with its 95 % lower
// bound, the target, and the chosen auto-apply threshold marked).
import { percent } from "./api.js";

const pct = (_, ticks) => ticks.map((t) => `${Math.round(t * 100)} %`);
const size = (box) => ({ width: Math.max(200, box.clientWidth), height: 220 });

function draw(box, options, data) {
  const chart = new uPlot({ ...size(box), ...options }, data, box);
  const observer = new ResizeObserver(() => chart.setSize(size(box)));
  observer.observe(box);
  return { chart, destroy: () => { observer.disconnect(); chart.destroy(); } };
}

export function reliabilityChart(box, bins) {
  const used = bins.filter((b) => b.count > 0);
  const x = used.map((b) => b.meanConfidence);
  return draw(box, {
    title: "Reliability: accuracy per confidence bin",
    scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
    axes: [{ label: "mean confidence", values: pct }, { label: "accuracy", values: pct }],
    series: [
      { label: "confidence", value: (_, v) => percent(v) },
      { label: "accuracy", stroke: "#1f77b4", width: 2, points: { show: true, size: 6 }, value: (_, v) => percent(v) },
      { label: "perfectly calibrated", stroke: "#7f7f7f", dash: [6, 4], points: { show: false }, value: (_, v) => percent(v) },
      { label: "rows", stroke: "transparent", points: { show: false }, scale: "rows" },
    ],
  }, [x, used.map((b) => b.accuracy), x, used.map((b) => b.count)]);
}

export function coverageChart(box, curve, choice, target) {
  const points = [...curve].sort((a, b) => a.coverage - b.coverage);
  const chosen = choice?.threshold ?? null;
  const marked = chosen === null ? null : choice.coverage;
  const result = draw(box, {
    title: chosen === null ? "Coverage vs precision (no threshold met the target)" : `Coverage vs precision (threshold ${chosen.toFixed(3)} marked)`,
    scales: { x: { time: false, range: [0, 1] }, y: { range: [0, 1] } },
    axes: [{ label: "coverage (share of rows at or above the threshold)", values: pct }, { label: "precision", values: pct }],
    series: [
      { label: "coverage", value: (_, v) => percent(v) },
      { label: "precision", stroke: "#2ca02c", width: 2, value: (_, v) => percent(v) },
      { label: "95 % lower bound", stroke: "#ff7f0e", width: 2, value: (_, v) => percent(v) },
      { label: "target", stroke: "#7f7f7f", dash: [6, 4], points: { show: false }, value: (_, v) => percent(v) },
      { label: "threshold", stroke: "#9467bd", width: 1, dash: [2, 3], points: { show: false }, value: (_, v) => (v === null ? "" : v.toFixed(3)) },
    ],
    hooks: {
      // The chosen threshold: a vertical line at the coverage it gives.
      draw: [(u) => {
        if (marked === null) return;
        const left = u.valToPos(marked, "x", true);
        const { ctx } = u;
        ctx.save();
        ctx.strokeStyle = "#d62728";
        ctx.lineWidth = 2 * devicePixelRatio;
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(left, u.bbox.top);
        ctx.lineTo(left, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.fillStyle = "#d62728";
        ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
        ctx.fillText(`threshold ${chosen.toFixed(3)}`, left + 4 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
        ctx.restore();
      }],
    },
  }, [points.map((p) => p.coverage), points.map((p) => p.precision), points.map((p) => p.precisionLowerBound),
    points.map(() => target), points.map((p) => p.threshold)]);
  result.chart.threshold = chosen;
  result.chart.markedCoverage = marked;
  return result;
}
