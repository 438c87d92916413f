// The loss chart (training and test loss per epoch) and the metrics chart beside it, with uPlot:
// hover to read values, optional log scale. Redrawn at most once per animation frame.

import uPlot from "/static/node_modules/uplot/dist/uPlot.esm.js";
import { formatNumber, metricName, onLanguage, t } from "./i18n.js";
import { card } from "./pictures.js";
import { History, points } from "./series.js";

const TRAIN = "#1f2937";
const TEST = "#c2410c";
const PALETTE = ["#0877bd", "#2ca02c", "#9467bd", "#8c564b"];
const SETUP_A = "#0877bd";
const SETUP_B = "#c2410c";
const MARKER = "#7c3aed"; // the timeline's moment: a colour no series uses

// The projector view draws the axes' words at 24 px, readable from the back of the room.
const big = () => document.body.classList.contains("projector");

/** A vertical line at `epoch` across the plot (the timeline's moment on the loss chart). */
function drawMarker(u, epoch) {
  if (epoch === null || epoch === undefined || !u.data[0].length) return;
  const { left, top, width, height } = u.bbox;
  const x = Math.min(left + width, Math.max(left, u.valToPos(Math.max(epoch, u.scales.x.min ?? 0), "x", true)));
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = MARKER;
  ctx.lineWidth = 2 * devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(x, top);
  ctx.lineTo(x, top + height);
  ctx.stroke();
  ctx.restore();
}

/** @param {HTMLElement} el @param {any[]} series @param {{log?: boolean, height?: number, onCursor?: (idx: number | null) => void, marker?: () => number | null}} [options] */
function chart(el, series, { log = false, height = 170, onCursor = (idx) => {}, marker = () => null } = {}) {
  el.replaceChildren();
  const font = `${big() ? 24 : 13}px system-ui, sans-serif`;
  if (big()) height *= 2;
  const width = Math.max(200, el.clientWidth || 320);
  return new uPlot(
    {
      width,
      height,
      scales: { x: { time: false }, y: log ? { distr: 3, log: 10 } : { auto: true } },
      series: [{ label: t("chart.epoch"), value: (u, v) => (v === null || v === undefined ? "—" : String(v)) }, ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        dash: s.dash,
        spanGaps: false,
        points: { show: false },
        value: (u, v) => formatNumber(v),
      }))],
      axes: [
        { stroke: "#374151", grid: { stroke: "#e5e7eb" }, font, size: big() ? 60 : 50 },
        { stroke: "#374151", grid: { stroke: "#e5e7eb" }, font, size: big() ? 110 : 56, values: (u, vals) => vals.map((v) => formatNumber(v, 3)) },
      ],
      legend: { show: false },
      hooks: { setCursor: [(u) => onCursor(u.cursor.idx)], draw: [(u) => drawMarker(u, marker())] },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    },
    [[], ...series.map(() => [])],
    el,
  );
}

/**
 * The key under a chart: each series' colour, name and value (at the hovered point, else its
 * latest value and the run's last epoch).
 */
function readout(el, series, data, idx, latest) {
  if (!data[0].length && !latest.start) {
    if (el.firstChild) el.replaceChildren();
    return;
  }
  // Built once per set of series; afterwards only the numbers change (no layout of new nodes).
  const signature = series.map((s) => s.label).join("|");
  if (el.dataset.signature !== signature || !el.firstChild) {
    el.replaceChildren();
    el.dataset.signature = signature;
    const epoch = document.createElement("span");
    epoch.className = "readout-epoch";
    el.append(epoch);
    for (const s of series) {
      const item = document.createElement("span");
      item.className = "readout-item";
      item.dataset.series = s.label;
      const key = document.createElement("span");
      key.className = s.dash ? "key dashed" : "key";
      key.style.borderColor = s.color;
      item.append(key, `${s.label} `, document.createElement("b"));
      el.append(item);
    }
  }
  const hovering = idx !== null && idx !== undefined;
  const text = `${t("chart.epoch")} ${hovering ? Math.round(data[0][idx]) : latest.epochs ?? latest.epoch}`;
  const epoch = /** @type {HTMLElement} */ (el.firstChild);
  if (epoch.textContent !== text) epoch.textContent = text;
  series.forEach((s, k) => {
    const value = /** @type {HTMLElement} */ (el.children[k + 1].lastChild);
    // Not hovering: each series' latest value (two setups may have trained different lengths).
    const v = hovering ? data[k + 1][idx] : latest.values[k];
    const shown = formatNumber(v);
    if (value.textContent !== shown) value.textContent = shown;
    value.dataset.value = String(v ?? "");
  });
}

export function createCharts({ lossEl, metricEl, metricNote, lossReadout, metricReadout }) {
  let loss = null;
  let metric = null;
  let metrics = [];
  let log = false;
  let history = new History();
  let comparison = null; // {a: {label, history}, b: {label}}: setup A's curves beside the current run's
  let start = null; // the untrained model's test loss and metrics ({loss, accuracy, …}), before epoch 1
  let marker = null; // the epoch the timeline shows (null: the run's newest, no marker)

  // A log scale cannot show 0 or less: such values become gaps.
  const keep = (v) => !log || v > 0;

  /** The chart's data (bounded: at most two points per bucket) and each series' latest value. */
  function dataFor(keys) {
    const { x, series } = points(keys, keep);
    const values = keys.map(([h, key]) => {
      const v = h.last(key);
      return v === null || !keep(v) ? null : v;
    });
    const epoch = Math.max(0, ...keys.map(([h]) => h.length));
    if (!epoch && start) {
      // Before the first epoch: the untrained model's test values (evaluate has no training ones).
      const values0 = keys.map(([, key]) => (key.startsWith("val_") ? start[key.slice(4)] ?? null : null));
      return { data: [x, ...series], latest: { epoch: 0, values: values0, start: true } };
    }
    return { data: [x, ...series], latest: { epoch, values } };
  }

  function lossKeys() {
    if (!comparison) return [[history, "loss"], [history, "val_loss"]];
    const a = comparison.a.history;
    return [[a, "loss"], [a, "val_loss"], [history, "loss"], [history, "val_loss"]];
  }

  let onValidation = false; // val_* measured on a validation split (Keras's validation_split), not the test data
  let lossSeries = [];
  let metricSeries = [];
  let lossValues = { data: [[]], latest: { epoch: 0, values: [] } };
  let metricData = { data: [[]], latest: { epoch: 0, values: [] } };
  let drawn = "";
  const lossListeners = [];
  const onUpdate = (series, values) => lossListeners.forEach((listener) => listener(series, values)); // what the charts show: redrawn only when a history changed

  function build() {
    lossSeries = comparison
      ? [
          { label: comparison.a.label, color: SETUP_A },
          { label: t("chart.setupTest", { name: comparison.a.label }), color: SETUP_A, dash: [6, 4] },
          { label: comparison.b.label, color: SETUP_B },
          { label: t("chart.setupTest", { name: comparison.b.label }), color: SETUP_B, dash: [6, 4] },
        ]
      : [
          { label: t("chart.trainLoss"), color: TRAIN },
          { label: t(onValidation ? "chart.valLoss" : "chart.testLoss"), color: TEST, dash: [6, 4] },
        ];
    loss = chart(lossEl, lossSeries, {
      log, marker: () => marker, onCursor: (idx) => readout(lossReadout, lossSeries, lossValues.data, idx, lossValues.latest),
    });
    metricEl.hidden = metrics.length === 0;
    metricReadout.hidden = metrics.length === 0;
    metricNote.hidden = metrics.length > 0;
    metricSeries = metrics.flatMap((m, i) => [
      { label: t("chart.train", { name: metricName(m) }), color: PALETTE[i % PALETTE.length] },
      { label: t(onValidation ? "chart.val" : "chart.test", { name: metricName(m) }), color: PALETTE[i % PALETTE.length], dash: [6, 4] },
    ]);
    metric = metrics.length
      ? chart(metricEl, metricSeries, { height: 140, onCursor: (idx) => readout(metricReadout, metricSeries, metricData.data, idx, metricData.latest) })
      : null;
    drawn = "";
    update();
  }

  function update() {
    const versions = [history, comparison?.a.history].map((h) => (h ? `${h.length}:${h.version}` : "")).join("|") + (start ? "s" : "");
    if (versions === drawn) return;
    drawn = versions;
    lossValues = dataFor(lossKeys());
    // Two setups trained to different lengths: the readout names each one's epoch, as the counters do.
    if (comparison) lossValues.latest.epochs = `A ${comparison.a.history.length} · B ${history.length}`;
    metricData = dataFor(metrics.flatMap((m) => [[history, m], [history, `val_${m}`]]));
    loss?.setData(lossValues.data);
    lossEl.dataset.points = String(lossValues.data[0].length); // bounded, whatever the run's length
    metric?.setData(metricData.data);
    readout(lossReadout, lossSeries, lossValues.data, loss?.cursor.idx, lossValues.latest);
    readout(metricReadout, metricSeries, metricData.data, metric?.cursor.idx, metricData.latest);
    onUpdate(lossSeries, lossValues);
  }

  new ResizeObserver(() => {
    loss?.setSize({ width: Math.max(200, lossEl.clientWidth), height: big() ? 340 : 170 });
    metric?.setSize({ width: Math.max(200, metricEl.clientWidth), height: big() ? 280 : 140 });
  }).observe(lossEl.parentElement);

  onLanguage(build); // redrawn in a new language by itself
  return {
    setHistory(next) {
      history = next;
      update();
    },
    /** The untrained model's test loss and metrics, shown until the first epoch (null: none). */
    setStart(values) {
      start = values;
      drawn = "";
      update();
    },
    /** Mark `epoch` on the loss chart (the moment the timeline shows); null takes the mark away. */
    setMarker(epoch) {
      if (epoch === marker) return;
      marker = epoch;
      lossEl.dataset.marker = epoch === null ? "" : String(epoch);
      loss?.redraw(false, false);
    },
    /** Call `listener(series, {data, latest})` whenever the loss values change (the small curve). */
    onLoss(listener) {
      lossListeners.push(listener);
      listener(lossSeries, lossValues);
    },
    /** The metrics shown, the log scale, and whether val_* are measured on a validation split
     * (Keras's validation_split) rather than the test data: the dashed curves are named so. */
    configure({ metrics: nextMetrics, logScale, validation = false }) {
      const same = JSON.stringify(nextMetrics) === JSON.stringify(metrics) && logScale === log && validation === onValidation;
      if (same && loss) return;
      metrics = [...nextMetrics];
      log = logScale;
      onValidation = validation;
      build();
    },
    rebuild: build,
    /** Draw setup A's loss beside the current run's, each named; null goes back to one run. */
    setComparison(next) {
      const labels = (c) => (c ? `${c.a.label}|${c.b.label}` : "");
      const rebuild = labels(next) !== labels(comparison);
      comparison = next;
      if (rebuild) build();
      else update();
    },
    /** The loss chart as a picture: title, the chart with its axes, and each series' key and last value. */
    picture(title) {
      if (!loss) return null;
      const source = loss.ctx.canvas;
      const scale = source.width / loss.width;
      const n = lossValues.data[0].length;
      return card({
        title, width: loss.width, height: loss.height, keyHeight: 10 + 22 * lossSeries.length, scale,
        drawFigure: (ctx, x, y) => ctx.drawImage(source, x, y, loss.width, loss.height),
        // One line per series: its line style, its name and its value at the last epoch.
        drawKey(ctx, x, y) {
          lossSeries.forEach((s, k) => {
            const mid = y + 18 + 22 * k;
            ctx.strokeStyle = s.color;
            ctx.lineWidth = 3;
            ctx.setLineDash(s.dash ?? []);
            ctx.beginPath();
            ctx.moveTo(x, mid);
            ctx.lineTo(x + 22, mid);
            ctx.stroke();
            ctx.setLineDash([]);
            const value = n ? `${formatNumber(lossValues.latest.values[k])} (${t("chart.epoch")} ${lossValues.latest.epoch})` : "—";
            ctx.fillStyle = "#111827";
            ctx.fillText(`${s.label}: ${value}`, x + 30, mid);
          });
        },
      });
    },
  };
}
