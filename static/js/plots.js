// Small canvas plots for the table views: axes with a few ticks, points, lines. The figures
// are tiny, so a hand-drawn canvas is simpler than a chart library here.

import { FONT } from "./pictures.js";

const PAD = { left: 38, right: 8, top: 8, bottom: 22 };

/** "Nice" tick values between lo and hi (about n of them). */
export function ticks(lo, hi, n = 4) {
  const step0 = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) ?? step0;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const short = (v) => (Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-2 && v !== 0) ? v.toExponential(0) : String(Number(v.toPrecision(3))));

/** Widen [lo, hi] by a share on each side (and make an empty range a unit one). */
export function padded([lo, hi], share = 0.08) {
  if (!(hi > lo)) return [lo - 1, hi + 1];
  const d = (hi - lo) * share;
  return [lo - d, hi + d];
}

/**
 * A plot area on `canvas` (sized to its CSS box at the screen's pixel ratio) for the ranges
 * `xr` and `yr`: returns {ctx, x(v), y(v), box} after drawing the frame and the ticks.
 */
export function frame(canvas, xr, yr, { xLabel = "", yLabel = "" } = {}) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 300;
  const height = canvas.clientHeight || 200;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  const box = { left: PAD.left, top: PAD.top, right: width - PAD.right, bottom: height - PAD.bottom };
  const x = (v) => box.left + ((v - xr[0]) / (xr[1] - xr[0])) * (box.right - box.left);
  const y = (v) => box.bottom - ((v - yr[0]) / (yr[1] - yr[0])) * (box.bottom - box.top);
  ctx.strokeStyle = "#d1d5db";
  ctx.fillStyle = "#4b5563";
  ctx.font = `11px ${FONT}`;
  ctx.lineWidth = 1;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const v of ticks(...xr)) {
    ctx.beginPath();
    ctx.moveTo(x(v), box.top);
    ctx.lineTo(x(v), box.bottom);
    ctx.stroke();
    ctx.fillText(short(v), x(v), box.bottom + 3);
  }
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (const v of ticks(...yr)) {
    ctx.beginPath();
    ctx.moveTo(box.left, y(v));
    ctx.lineTo(box.right, y(v));
    ctx.stroke();
    ctx.fillText(short(v), box.left - 4, y(v));
  }
  ctx.strokeStyle = "#9ca3af";
  ctx.strokeRect(box.left, box.top, box.right - box.left, box.bottom - box.top);
  ctx.fillStyle = "#111827";
  if (xLabel) {
    ctx.textAlign = "right";
    ctx.textBaseline = "bottom";
    ctx.fillText(xLabel, box.right - 3, box.bottom - 3);
  }
  if (yLabel) {
    ctx.textAlign = "left";
    ctx.textBaseline = "top";
    ctx.fillText(yLabel, box.left + 4, box.top + 3);
  }
  return { ctx, x, y, box };
}

export function dot(ctx, px, py, r, fill, stroke = "#fff") {
  ctx.beginPath();
  ctx.arc(px, py, r, 0, 2 * Math.PI);
  if (fill) {
    ctx.fillStyle = fill;
    ctx.fill();
  }
  if (stroke) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = 1.2;
    ctx.stroke();
  }
}

export function polyline(ctx, points, color, width = 2) {
  ctx.beginPath();
  points.forEach(([px, py], i) => (i ? ctx.lineTo(px, py) : ctx.moveTo(px, py)));
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke();
}
