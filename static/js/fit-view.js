// One input feature, a number to predict: the points and the model's curve; for a single
// Dense(1) layer also H(x) = Wx + b, the cost over W and over (W, b) with gradient descent's path.

import { request } from "./api.js";
import { formatNumber, onLanguage, t } from "./i18n.js";
import { dot, frame, padded, polyline } from "./plots.js";
import { createRefresher } from "./refresher.js";

const CURVE_POINTS = 60;
const MAX_PATH = 3000;
const TRAIN = "#0877bd";
const TEST = "#f59322";
const CURVE = "#111827";

/** Is this stack H(x) = Wx + b: one Dense layer with one unit and no activation? */
export function isLinearUnit(layers) {
  const [only] = layers;
  return layers.length === 1 && only.type === "Dense" && Number(only.units) === 1 && (only.activation ?? "linear") === "linear";
}

const mse = (xs, ys, w, b) => xs.reduce((sum, x, i) => sum + (w * x + b - ys[i]) ** 2, 0) / xs.length;

/** The least-squares line through the points: where the cost is lowest. */
function bestLine(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, v) => a + v, 0) / n;
  const my = ys.reduce((a, v) => a + v, 0) / n;
  const sxx = xs.reduce((a, v) => a + (v - mx) ** 2, 0);
  const w = sxx > 0 ? xs.reduce((a, v, i) => a + (v - mx) * (ys[i] - my), 0) / sxx : 0;
  return [w, my - w * mx];
}

// Contour bands of the cost, light (low) to dark (high), on a log scale.
const BANDS = ["#eff6ff", "#dbeafe", "#bfdbfe", "#93c5fd", "#60a5fa", "#3b82f6", "#2563eb", "#1d4ed8", "#1e40af", "#1e3a8a"];

export function createFitView({ root, store }) {
  const box = root.querySelector("#fit-view");
  const plot = root.querySelector("#fit-plot");
  const hypothesis = root.querySelector("#hypothesis");
  const costBox = root.querySelector("#cost-view");
  const costW = root.querySelector("#cost-w");
  const costWB = root.querySelector("#cost-wb");
  let data = null; // {xs, ys, txs, tys, name}
  let linear = false;
  let weights = null; // [W, b] of the newest frame
  let path = []; // [[W, b], …] since the run started
  let curve = null; // [[x, y], …] from the server, for other models

  const refresher = createRefresher(async (id) => {
    if (!data || linear) return;
    const [lo, hi] = xRange();
    const xs = Array.from({ length: CURVE_POINTS }, (_, i) => lo + ((hi - lo) * i) / (CURVE_POINTS - 1));
    // xs are in the preview's (scaled) units: tell the server not to scale them again.
    const answer = await request("POST", `/api/runs/${encodeURIComponent(id)}/predict`, { inputs: xs.map((x) => [x]), scaled: true });
    curve = xs.map((x, i) => [x, answer.outputs[i][0]]);
    drawFit();
  }, 500);

  const xRange = () => padded([Math.min(...data.xs, ...data.txs), Math.max(...data.xs, ...data.txs)], 0.1);

  function drawFit() {
    if (!data || box.hidden) return;
    const xr = xRange();
    const line = linear && weights ? [xr[0], xr[1]].map((x) => [x, weights[0] * x + weights[1]]) : curve;
    const all = [...data.ys, ...data.tys];
    const yr = padded([Math.min(...all), Math.max(...all)], 0.12);
    const { ctx, x, y, box: area } = frame(plot, xr, yr, { xLabel: data.feature, yLabel: "y" });
    data.xs.forEach((v, i) => dot(ctx, x(v), y(data.ys[i]), 4.5, TRAIN));
    data.txs.forEach((v, i) => dot(ctx, x(v), y(data.tys[i]), 4.5, "#fff", TEST));
    if (line) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.left, area.top, area.right - area.left, area.bottom - area.top);
      ctx.clip();
      polyline(ctx, line.map(([a, b]) => [x(a), y(b)]), CURVE, 2);
      ctx.restore();
    }
  }

  function costRanges() {
    const [w0, b0] = bestLine(data.xs, data.ys);
    const ws = [w0, ...path.map((p) => p[0])];
    const bs = [b0, ...path.map((p) => p[1])];
    const wr = padded([Math.min(...ws), Math.max(...ws)], 0.25);
    const br = padded([Math.min(...bs), Math.max(...bs)], 0.25);
    // Keep the bowl visible around its lowest point even when the path is short.
    const span = (r, c, min) => [Math.min(r[0], c - min), Math.max(r[1], c + min)];
    return { wr: span(wr, w0, Math.max(1, Math.abs(w0) * 0.5)), br: span(br, b0, Math.max(1, Math.abs(b0) * 0.5)) };
  }

  function drawCost() {
    if (!data || !linear || costBox.hidden) return;
    const { xs, ys } = data;
    const { wr, br } = costRanges();
    const [w, b] = weights ?? path.at(-1) ?? bestLine(xs, ys);
    // Cost over W, with b where it is now.
    const samples = Array.from({ length: 80 }, (_, i) => wr[0] + ((wr[1] - wr[0]) * i) / 79).map((v) => [v, mse(xs, ys, v, b)]);
    const costs = samples.map((s) => s[1]);
    const one = frame(costW, wr, padded([0, Math.max(...costs)], 0.05), { xLabel: "W", yLabel: t("views.cost") });
    polyline(one.ctx, samples.map(([a, c]) => [one.x(a), one.y(c)]), "#0b5cad", 2);
    if (weights || path.length) dot(one.ctx, one.x(w), one.y(mse(xs, ys, w, b)), 5, TEST, "#111827");

    // Cost over (W, b): bands of equal log cost (contours), the path, where it is now.
    const two = frame(costWB, wr, br, { xLabel: "W", yLabel: "b" });
    const { ctx, box: area } = two;
    const n = 70;
    const cw = (area.right - area.left) / n;
    const ch = (area.bottom - area.top) / n;
    const grid = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const gw = wr[0] + ((i + 0.5) / n) * (wr[1] - wr[0]);
        const gb = br[1] - ((j + 0.5) / n) * (br[1] - br[0]);
        grid.push(Math.log(mse(xs, ys, gw, gb) + 1e-9));
      }
    }
    const lo = Math.min(...grid);
    const hi = Math.max(...grid);
    grid.forEach((v, k) => {
      const band = Math.min(BANDS.length - 1, Math.floor(((v - lo) / (hi - lo || 1)) * BANDS.length));
      ctx.fillStyle = BANDS[band];
      ctx.fillRect(area.left + (k % n) * cw, area.top + Math.floor(k / n) * ch, cw + 0.6, ch + 0.6);
    });
    ctx.strokeStyle = "#9ca3af";
    ctx.strokeRect(area.left, area.top, area.right - area.left, area.bottom - area.top);
    const [bw, bb] = bestLine(xs, ys);
    ctx.fillStyle = "#111827";
    ctx.font = "bold 14px sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.fillText("×", two.x(bw), two.y(bb));
    if (path.length) {
      polyline(ctx, path.map(([a, c]) => [two.x(a), two.y(c)]), TEST, 2);
      dot(ctx, two.x(path[0][0]), two.y(path[0][1]), 3.5, "#fff", TEST);
      dot(ctx, two.x(w), two.y(b), 5, TEST, "#111827");
    }
  }

  function renderHypothesis() {
    hypothesis.hidden = !linear;
    hypothesis.classList.toggle("idle", !weights);
    if (!linear) return;
    if (!weights) {
      hypothesis.textContent = t("views.hypothesisIdle");
      return;
    }
    const [w, b] = weights;
    hypothesis.textContent = `H(x) = ${formatNumber(w)}·x ${b < 0 ? "−" : "+"} ${formatNumber(Math.abs(b))}`;
  }

  const view = {
    /** The data set's points (null hides the view). */
    setData(next) {
      data = next;
      box.hidden = !data;
      curve = null;
      path = [];
      weights = null;
      refresher.forget();
      this.render();
    },
    setLayers(layers) {
      linear = isLinearUnit(layers);
      costBox.hidden = !linear || !data;
      this.render();
    },
    /** After a frame: the newest weights (H(x) and the path), or ask for the curve now and then. */
    follow(run, frameData) {
      if (!data) return;
      if (!run) {
        if (path.length || weights || curve) {
          path = [];
          weights = null;
          curve = null;
          refresher.forget();
          this.render();
        }
        return;
      }
      if (linear) {
        const layer = frameData?.weights?.[0];
        if (layer?.kernel) {
          weights = [layer.kernel[0][0], layer.bias?.[0] ?? 0];
          const last = path.at(-1);
          if (!last || last[0] !== weights[0] || last[1] !== weights[1]) path.push(weights);
          if (path.length > MAX_PATH) path.splice(1, 1); // keep where it started
          this.render();
        }
      } else {
        refresher.follow(run);
      }
    },
    render() {
      costBox.hidden = !linear || !data;
      if (!data) return;
      renderHypothesis();
      drawFit();
      drawCost();
    },
  };
  // It follows the store's layers (is the model one linear unit, H(x) = Wx + b?) and the page's
  // language by itself.
  view.setLayers(store.get().layers);
  store.subscribe((state, changed) => changed.has("layers") && view.setLayers(state.layers));
  onLanguage(() => view.render());
  return view;
}
