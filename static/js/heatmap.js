// The output heatmap over the input plane (ImageData, one pixel per grid cell, scaled by CSS),
// the data points on a sharper overlay canvas, and the colour legend.

import { byteTable, classColor, classShape, css, diverging, HEATMAP_STRENGTH, MID, shapePath } from "./colors.js";
import { formatNumber, onLanguage, t } from "./i18n.js";
import { paintChannel } from "./maps.js";
import { card, FONT } from "./pictures.js";

const RANGE = 6; // the generated data's plane is [-6, 6]²; a two-feature table has its own extent
const PLANE = [[-RANGE, RANGE], [-RANGE, RANGE]];

export function createBoundary({ canvas, overlay, legend }) {
  let data = null; // {train, ytrain, test, ytest, task, nClasses, classNames, yRange}
  let view = { showTest: false, discretize: false };
  let grid = null; // the last decoded grid (kept so a view change can repaint without a frame)
  const tables = new Map();

  function table(lo, hi, centre, half, steps) {
    const key = `${lo}|${hi}|${centre}|${half}|${steps}`;
    let found = tables.get(key);
    if (!found) {
      if (tables.size > 64) tables.clear();
      found = byteTable(lo, hi, centre, half, steps, HEATMAP_STRENGTH);
      tables.set(key, found);
    }
    return found;
  }

  function paintMultiClass(map) {
    const ctx = canvas.getContext("2d");
    if (canvas.width !== map.cols || canvas.height !== map.rows) [canvas.width, canvas.height] = [map.cols, map.rows];
    const image = ctx.createImageData(map.cols, map.rows);
    const px = image.data;
    const size = map.rows * map.cols;
    const k = map.channels;
    const colors = Array.from({ length: k }, (_, c) => classColor(c, k));
    const scale = (map.max - map.min) / 255;
    for (let i = 0; i < size; i++) {
      let best = 0;
      let bestByte = -1;
      for (let c = 0; c < k; c++) {
        const b = map.bytes[c * size + i];
        if (b > bestByte) [best, bestByte] = [c, b];
      }
      const p = map.min + bestByte * scale;
      // Colour by the likeliest class, paler where the model is unsure (p near 1/k).
      const w = HEATMAP_STRENGTH * (view.discretize ? 1 : Math.max(0, Math.min(1, (p - 1 / k) / (1 - 1 / k))));
      const color = colors[best];
      const o = i * 4;
      px[o] = MID[0] + (color[0] - MID[0]) * w;
      px[o + 1] = MID[1] + (color[1] - MID[1]) * w;
      px[o + 2] = MID[2] + (color[2] - MID[2]) * w;
      px[o + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  // The heatmap in words, for a screen reader (role="img"): what the model says where.
  // At most once a second, and always once more at the end of the second: a paused run's
  // single frame may come right after the empty plane was described.
  let described = 0;
  let trailing = 0;
  function describeGrid(force = false) {
    const wait = 1000 - (performance.now() - described);
    if (!force && wait > 0) {
      if (!trailing) trailing = window.setTimeout(() => describeGrid(true), wait);
      return;
    }
    window.clearTimeout(trailing);
    trailing = 0;
    described = performance.now();
    const name = (k) => t("output.class", { name: data?.classNames?.[k] ?? k });
    let text = t("output.altNone");
    if (grid && data) {
      const size = grid.rows * grid.cols;
      const value = (b) => grid.min + (b / 255) * (grid.max - grid.min);
      if (data.task === "regression") {
        let [lo, hi] = [Infinity, -Infinity];
        for (let i = 0; i < size; i++) [lo, hi] = [Math.min(lo, grid.bytes[i]), Math.max(hi, grid.bytes[i])];
        text = t("output.altValues", { lo: formatNumber(value(lo), 3), hi: formatNumber(value(hi), 3) });
      } else {
        const k = Math.max(2, grid.channels);
        const counts = new Array(k).fill(0);
        for (let i = 0; i < size; i++) {
          if (grid.channels === 1) counts[value(grid.bytes[i]) > 0.5 ? 1 : 0]++;
          else {
            let best = 0;
            for (let c = 1; c < grid.channels; c++) if (grid.bytes[c * size + i] > grid.bytes[best * size + i]) best = c;
            counts[best]++;
          }
        }
        const shares = counts.map((n, c) => `${name(c)} ${Math.round((100 * n) / size)}%`).join(", ");
        text = t("output.altClasses", { shares });
      }
    }
    const points = data?.train ? t("output.altPoints", { n: data.train.length }) : "";
    canvas.setAttribute("aria-label", `${t("output.altTitle")}: ${text}${points ? ` ${points}` : ""}`);
  }

  function paintGrid() {
    describeGrid();
    if (!grid) {
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = css(MID);
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      return;
    }
    if (grid.channels > 1) return paintMultiClass(grid);
    if (data?.task === "regression") {
      const [lo, hi] = data.yRange;
      paintChannel(canvas, grid, 0, table(grid.min, grid.max, (lo + hi) / 2, (hi - lo) / 2, view.discretize ? 5 : 0));
    } else {
      paintChannel(canvas, grid, 0, table(grid.min, grid.max, 0.5, 0.5, view.discretize ? 1 : 0));
    }
  }

  function pointColor(y) {
    if (data.task === "regression") {
      const [lo, hi] = data.yRange;
      return css(diverging(hi > lo ? (2 * (y - lo)) / (hi - lo) - 1 : 0));
    }
    return css(classColor(y, data.nClasses));
  }

  function paintPoints() {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(overlay.clientWidth * dpr);
    const h = Math.round(overlay.clientHeight * dpr);
    if (overlay.width !== w || overlay.height !== h) [overlay.width, overlay.height] = [w, h];
    const ctx = overlay.getContext("2d");
    ctx.clearRect(0, 0, w, h);
    if (!data?.train) return;
    // A table of a few rows (XOR's four) gets large points: each row is a lesson's point.
    const classes = data.task === "classification";
    const r = data.train.length <= 50 ? Math.max(5, w / 28) : classes ? Math.max(3.2, w / 90) : Math.max(2.5, w / 110);
    const sets = [[data.train, data.ytrain, "#ffffff"]];
    if (view.showTest && data.test) sets.push([data.test, data.ytest, "#111111"]);
    ctx.lineWidth = Math.max(1, r / 3);
    for (const [points, labels, stroke] of sets) {
      ctx.strokeStyle = stroke;
      for (let i = 0; i < points.length; i++) {
        const [x1, x2] = points[i];
        const [[x1lo, x1hi], [x2lo, x2hi]] = data.extent ?? PLANE;
        const x = ((x1 - x1lo) / (x1hi - x1lo)) * w;
        const y = ((x2hi - x2) / (x2hi - x2lo)) * h;
        // A shape per class as well as a colour (colour alone does not tell every eye the classes).
        if (classes) shapePath(ctx, classShape(labels[i]), x, y, r);
        else {
          ctx.beginPath();
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
        ctx.fillStyle = pointColor(labels[i]);
        ctx.fill();
        ctx.stroke();
      }
    }
  }

  /** A class's key: its shape in its colour, as the points show it. */
  function swatch(color, k) {
    const el = document.createElement("canvas");
    el.className = "swatch";
    el.width = el.height = 28;
    el.dataset.shape = classShape(k);
    el.setAttribute("aria-hidden", "true");
    const ctx = el.getContext("2d");
    shapePath(ctx, classShape(k), 14, 14, 10);
    ctx.fillStyle = css(color);
    ctx.fill();
    ctx.lineWidth = 2;
    ctx.strokeStyle = "#ffffff";
    ctx.stroke();
    return el;
  }

  function renderLegend() {
    legend.replaceChildren();
    if (!data) return;
    if (data.task === "classification" && data.nClasses > 2) {
      for (let k = 0; k < data.nClasses; k++) {
        const item = document.createElement("span");
        item.className = "legend-item";
        item.append(swatch(classColor(k, data.nClasses), k), t("output.class", { name: data.classNames?.[k] ?? k }));
        legend.append(item);
      }
      return;
    }
    const regression = data.task === "regression";
    const [lo, hi] = regression ? data.yRange : [0, 1];
    const title = document.createElement("div");
    title.className = "legend-title";
    title.textContent = regression ? t("output.value") : t("output.probability");
    const bar = document.createElement("div");
    bar.className = "legend-bar";
    bar.style.background = `linear-gradient(to right, ${[-1, -0.5, 0, 0.5, 1].map((v) => css(diverging(v * HEATMAP_STRENGTH))).join(", ")})`;
    const ticks = document.createElement("div");
    ticks.className = "legend-ticks";
    for (const v of [lo, (lo + hi) / 2, hi]) {
      const tick = document.createElement("span");
      tick.textContent = formatNumber(v, 3);
      ticks.append(tick);
    }
    legend.append(title, bar, ticks);
    if (!regression) {
      const names = document.createElement("div");
      names.className = "legend-ticks";
      for (const k of [0, 1]) {
        const item = document.createElement("span");
        item.className = "legend-item";
        item.append(swatch(classColor(k, 2), k), t("output.class", { name: data.classNames?.[k] ?? k }));
        names.append(item);
      }
      legend.append(names);
    }
  }

  new ResizeObserver(() => paintPoints()).observe(overlay);

  onLanguage(renderLegend); // redrawn in a new language by itself
  return {
    setData(next) {
      data = next;
      grid = null;
      described = 0;
      paintGrid();
      paintPoints();
      renderLegend();
    },
    setView(next) {
      view = { ...next };
      paintGrid();
      paintPoints();
    },
    /** Paint a frame's decoded grid (null: no model yet) and the points over it. */
    draw(decoded) {
      grid = decoded;
      paintGrid();
      paintPoints();
    },
    renderLegend() {
      renderLegend();
      describeGrid(true);
    },
    /** The heatmap with its points, the plane's ticks and the colour key, as one picture. */
    picture(title) {
      if (!data) return null;
      const size = 320;
      const scale = Math.max(2, overlay.width / size || 0);
      const margin = 22; // for the tick labels left of and below the plane
      const multi = data.task === "classification" && data.nClasses > 2;
      return card({
        title, width: size + margin, height: size + margin, keyHeight: multi ? 30 : 62, scale,
        drawFigure(ctx, x, y) {
          const left = x + margin;
          ctx.imageSmoothingEnabled = true;
          ctx.drawImage(canvas, left, y, size, size);
          if (overlay.width) ctx.drawImage(overlay, left, y, size, size);
          ctx.strokeStyle = "#9ca3af";
          ctx.lineWidth = 1;
          ctx.strokeRect(left + 0.5, y + 0.5, size - 1, size - 1);
          ctx.fillStyle = "#4b5563";
          ctx.font = `12px ${FONT}`;
          for (const v of [-RANGE, 0, RANGE]) {
            const f = (v + RANGE) / (2 * RANGE);
            ctx.textAlign = "center";
            ctx.textBaseline = "top";
            ctx.fillText(String(v), left + f * size, y + size + 4);
            ctx.textAlign = "right";
            ctx.textBaseline = "middle";
            ctx.fillText(String(v), left - 4, y + (1 - f) * size);
          }
          ctx.textAlign = "left";
        },
        drawKey(ctx, x, y, width) {
          const left = x + margin;
          if (multi) {
            let at = left;
            for (let k = 0; k < data.nClasses; k++) {
              ctx.fillStyle = css(classColor(k, data.nClasses));
              shapePath(ctx, classShape(k), at + 6, y + 16, 6);
              ctx.fill();
              const text = t("output.class", { name: data.classNames?.[k] ?? k });
              ctx.fillStyle = "#111827";
              ctx.fillText(text, at + 16, y + 16);
              at += 16 + ctx.measureText(text).width + 14;
            }
            return;
          }
          const regression = data.task === "regression";
          const [lo, hi] = regression ? data.yRange : [0, 1];
          const barWidth = width - margin;
          ctx.fillStyle = "#4b5563";
          ctx.fillText(regression ? t("output.value") : t("output.probability"), left, y + 12);
          const gradient = ctx.createLinearGradient(left, 0, left + barWidth, 0);
          [-1, -0.5, 0, 0.5, 1].forEach((v, i) => gradient.addColorStop(i / 4, css(diverging(v * HEATMAP_STRENGTH))));
          ctx.fillStyle = gradient;
          ctx.fillRect(left, y + 24, barWidth, 10);
          ctx.fillStyle = "#111827";
          [lo, (lo + hi) / 2, hi].forEach((v, i) => {
            ctx.textAlign = ["left", "center", "right"][i];
            ctx.fillText(formatNumber(v, 3), left + (i / 2) * barWidth, y + 46);
          });
          ctx.textAlign = "left";
        },
      });
    },
  };
}
