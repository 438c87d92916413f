// Small SVG charts for the theory figures: lines over x, points, and a heat grid on the plane.

const NS = "http://www.w3.org/2000/svg";
export const COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];

function node(name, attrs = {}, text = "") {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text) el.textContent = text;
  return el;
}

const range = (values) => {
  const finite = values.filter(Number.isFinite);
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) [lo, hi] = [lo - 1, hi + 1];
  return [lo, hi];
};

/**
 * A line chart: series [{points: [[x, y], …], color, label, dots}] and marks [{x, y, color, label}].
 * yClip bounds the y range (a curve to infinity, such as −log h).
 */
export function lineChart({ series, marks = [], width = 360, height = 240, xLabel = "", yLabel = "", yClip = null, title = "" }) {
  const pad = { l: 48, r: 12, t: title ? 22 : 10, b: 34 };
  const xs = series.flatMap((s) => s.points.map((p) => p[0])).concat(marks.map((m) => m.x));
  let ys = series.flatMap((s) => s.points.map((p) => p[1])).concat(marks.map((m) => m.y));
  if (yClip) ys = ys.map((v) => Math.max(yClip[0], Math.min(yClip[1], v)));
  const [x0, x1] = range(xs);
  const [y0, y1] = range(ys);
  const X = (v) => pad.l + ((v - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const Y = (v) => height - pad.b - ((Math.max(y0, Math.min(y1, v)) - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  const svg = node("svg", { width, height, viewBox: `0 0 ${width} ${height}`, role: "img" });
  if (title) svg.append(node("text", { x: width / 2, y: 15, "text-anchor": "middle", "font-size": 13 }, title));
  svg.append(node("line", { x1: pad.l, y1: height - pad.b, x2: width - pad.r, y2: height - pad.b, stroke: "#9ca3af" }));
  svg.append(node("line", { x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b, stroke: "#9ca3af" }));
  for (const [v, anchor, x, y] of [
    [x0, "start", pad.l, height - pad.b + 14], [x1, "end", width - pad.r, height - pad.b + 14],
  ]) svg.append(node("text", { x, y, "text-anchor": anchor, "font-size": 11 }, format(v)));
  svg.append(node("text", { x: pad.l - 4, y: height - pad.b, "text-anchor": "end", "font-size": 11 }, format(y0)));
  svg.append(node("text", { x: pad.l - 4, y: pad.t + 10, "text-anchor": "end", "font-size": 11 }, format(y1)));
  svg.append(node("text", { x: (width + pad.l) / 2, y: height - 4, "text-anchor": "middle", "font-size": 12 }, xLabel));
  svg.append(node("text", { x: 12, y: height / 2, "text-anchor": "middle", "font-size": 12, transform: `rotate(-90 12 ${height / 2})` }, yLabel));
  series.forEach((s, i) => {
    const color = s.color ?? COLORS[i % COLORS.length];
    if (s.dots) {
      for (const [x, y] of s.points) svg.append(node("circle", { cx: X(x), cy: Y(y), r: 3.5, fill: color }));
    } else {
      const d = s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)).map(([x, y], k) => `${k ? "L" : "M"}${X(x).toFixed(1)},${Y(y).toFixed(1)}`).join("");
      svg.append(node("path", { d, fill: "none", stroke: color, "stroke-width": 2, "stroke-dasharray": s.dashed ? "5 4" : "" }));
    }
    if (s.label) svg.append(node("text", { x: width - pad.r - 4, y: pad.t + 14 + 14 * i, "text-anchor": "end", "font-size": 12, fill: color }, s.label));
  });
  for (const m of marks) {
    svg.append(node("circle", { cx: X(m.x), cy: Y(m.y), r: 5.5, fill: m.color ?? "#D55E00", stroke: "#fff", "stroke-width": 1.5 }));
    if (m.label) svg.append(node("text", { x: X(m.x) + 8, y: Y(m.y) - 8, "font-size": 12 }, m.label));
  }
  return svg;
}

/** A probability grid over [lo, hi]² (row 0 at the top) with labelled points and a boundary line. */
export function planeChart({ grid, lo, hi, points = [], labels = [], line = null, size = 300 }) {
  const svg = node("svg", { width: size, height: size, viewBox: `0 0 ${size} ${size}`, role: "img" });
  const n = grid.length;
  const cell = size / n;
  grid.forEach((row, r) => row.forEach((p, c) => {
    const blue = Math.round(255 - 120 * p);
    const orange = Math.round(255 - 120 * (1 - p));
    svg.append(node("rect", { x: c * cell, y: r * cell, width: cell + 0.5, height: cell + 0.5, fill: `rgb(${orange}, ${Math.round((orange + blue) / 2)}, ${blue})` }));
  }));
  const P = (v) => ((v - lo) / (hi - lo)) * size;
  points.forEach(([x, y], i) => svg.append(node("circle", { cx: P(x), cy: size - P(y), r: 3.5, fill: labels[i] ? COLORS[0] : COLORS[1], stroke: "#fff" })));
  if (line) {
    const [w1, w2, b] = line; // w1·x + w2·y + b = 0
    const ends = Math.abs(w2) > 1e-9
      ? [lo, hi].map((x) => [x, -(w1 * x + b) / w2])
      : [lo, hi].map((y) => [-b / (w1 || 1e-9), y]);
    svg.append(node("line", { x1: P(ends[0][0]), y1: size - P(ends[0][1]), x2: P(ends[1][0]), y2: size - P(ends[1][1]), stroke: "#111", "stroke-width": 2 }));
  }
  return svg;
}

export function format(v, digits = 4) {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(digits)));
}

/** A table of rows of numbers (a matrix) with an optional caption. */
export function matrixTable(rows, caption = "") {
  const table = document.createElement("table");
  if (caption) table.createCaption().textContent = caption;
  for (const row of rows) {
    const tr = table.insertRow();
    for (const v of Array.isArray(row) ? row : [row]) tr.insertCell().textContent = typeof v === "number" ? format(v) : String(v);
  }
  return table;
}
