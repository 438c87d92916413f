// The loss chart (training and test loss per epoch) and the metrics chart beside it, with uPlot:
// hover to read values, optional log scale. Redrawn at most once per animation frame.

import uPlot from "/static/node_modules/uplot/dist/uPlot.esm.js";
import { formatNumber, metricName, t } from "./i18n.js";
import { card } from "./pictures.js";

const TRAIN = "#1f2937";
const TEST = "#c2410c";
const PALETTE = ["#0877bd", "#2ca02c", "#9467bd", "#8c564b"];
const SETUP_A = "#0877bd";
const SETUP_B = "#c2410c";

function chart(el, series, { log = false, height = 170, onCursor = () => {} } = {}) {
  el.replaceChildren();
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
        { stroke: "#374151", grid: { stroke: "#e5e7eb" }, font: "13px system-ui, sans-serif" },
        { stroke: "#374151", grid: { stroke: "#e5e7eb" }, font: "13px system-ui, sans-serif", size: 56, values: (u, vals) => vals.map((v) => formatNumber(v, 3)) },
      ],
      legend: { show: false },
      hooks: { setCursor: [(u) => onCursor(u.cursor.idx)] },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    },
    [[], ...series.map(() => [])],
    el,
  );
}

/** The key under a chart: each series' colour, name and value (hovered epoch, else the latest). */
function readout(el, series, data, idx) {
  const n = data[0].length;
  const i = idx ?? n - 1;
  el.replaceChildren();
  if (!n) return;
  const epoch = document.createElement("span");
  epoch.className = "readout-epoch";
  epoch.textContent = `${t("chart.epoch")} ${data[0][i]}`;
  el.append(epoch);
  series.forEach((s, k) => {
    const item = document.createElement("span");
    item.className = "readout-item";
    item.dataset.series = s.label;
    const key = document.createElement("span");
    key.className = s.dash ? "key dashed" : "key";
    key.style.borderColor = s.color;
    item.append(key, `${s.label} `);
    const value = document.createElement("b");
    // Not hovering: each series' latest value (two setups may have trained different lengths).
    const v = idx === null || idx === undefined ? data[k + 1].findLast((x) => x !== null && x !== undefined) : data[k + 1][i];
    value.textContent = formatNumber(v);
    value.dataset.value = String(v ?? "");
    item.append(value);
    el.append(item);
  });
}

export function createCharts({ lossEl, metricEl, metricNote, lossReadout, metricReadout }) {
  let loss = null;
  let metric = null;
  let metrics = [];
  let log = false;
  let history = {};
  let comparison = null; // {a: {label, history}, b: {label}}: setup A's curves beside the current run's

  // A log scale cannot show 0 or less: such values become gaps.
  const shown = (values, n) => Array.from({ length: n }, (_, i) => {
    const v = values?.[i];
    return v === null || v === undefined || (log && v <= 0) ? null : v;
  });

  function dataFor(keys, sources = keys.map(() => history)) {
    const n = Math.max(history.loss?.length ?? 0, ...sources.map((h) => h.loss?.length ?? 0));
    const x = Array.from({ length: n }, (_, i) => i + 1);
    return [x, ...keys.map((k, j) => shown(sources[j][k], n))];
  }

  function lossData() {
    if (!comparison) return dataFor(["loss", "val_loss"]);
    const a = comparison.a.history;
    return dataFor(["loss", "val_loss", "loss", "val_loss"], [a, a, history, history]);
  }

  let lossSeries = [];
  let metricSeries = [];
  let lossValues = [[]];
  let metricData = [[]];

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
          { label: t("chart.testLoss"), color: TEST, dash: [6, 4] },
        ];
    loss = chart(lossEl, lossSeries, { log, onCursor: (idx) => readout(lossReadout, lossSeries, lossValues, idx) });
    metricEl.hidden = metrics.length === 0;
    metricReadout.hidden = metrics.length === 0;
    metricNote.hidden = metrics.length > 0;
    metricSeries = metrics.flatMap((m, i) => [
      { label: t("chart.train", { name: metricName(m) }), color: PALETTE[i % PALETTE.length] },
      { label: t("chart.test", { name: metricName(m) }), color: PALETTE[i % PALETTE.length], dash: [6, 4] },
    ]);
    metric = metrics.length
      ? chart(metricEl, metricSeries, { height: 140, onCursor: (idx) => readout(metricReadout, metricSeries, metricData, idx) })
      : null;
    update();
  }

  function update() {
    lossValues = lossData();
    metricData = dataFor(metrics.flatMap((m) => [m, `val_${m}`]));
    loss?.setData(lossValues);
    metric?.setData(metricData);
    readout(lossReadout, lossSeries, lossValues, loss?.cursor.idx);
    readout(metricReadout, metricSeries, metricData, metric?.cursor.idx);
  }

  new ResizeObserver(() => {
    loss?.setSize({ width: Math.max(200, lossEl.clientWidth), height: 170 });
    metric?.setSize({ width: Math.max(200, metricEl.clientWidth), height: 140 });
  }).observe(lossEl.parentElement);

  return {
    setHistory(next) {
      history = next;
      update();
    },
    configure({ metrics: nextMetrics, logScale }) {
      if (JSON.stringify(nextMetrics) === JSON.stringify(metrics) && logScale === log && loss) return;
      metrics = [...nextMetrics];
      log = logScale;
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
      const n = lossValues[0].length;
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
            const value = n ? `${formatNumber(lossValues[k + 1][n - 1])} (${t("chart.epoch")} ${lossValues[0][n - 1]})` : "—";
            ctx.fillStyle = "#111827";
            ctx.fillText(`${s.label}: ${value}`, x + 30, mid);
          });
        },
      });
    },
  };
}
