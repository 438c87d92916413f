// The loss chart (training and test loss per epoch) and the metrics chart beside it, with uPlot:
// hover to read values, optional log scale. Redrawn at most once per animation frame.

import uPlot from "/static/node_modules/uplot/dist/uPlot.esm.js";
import { formatNumber, metricName, t } from "./i18n.js";

const TRAIN = "#1f2937";
const TEST = "#c2410c";
const PALETTE = ["#0877bd", "#2ca02c", "#9467bd", "#8c564b"];

function chart(el, series, { log = false, height = 170 } = {}) {
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
      legend: { live: true },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
    },
    [[], ...series.map(() => [])],
    el,
  );
}

export function createCharts({ lossEl, metricEl, metricNote }) {
  let loss = null;
  let metric = null;
  let metrics = [];
  let log = false;
  let history = {};

  function dataFor(keys) {
    const n = history.loss?.length ?? 0;
    const x = Array.from({ length: n }, (_, i) => i + 1);
    // A log scale cannot show 0 or less: such values become gaps.
    return [x, ...keys.map((k) => (history[k] ?? []).map((v) => (v === null || (log && v <= 0) ? null : v)))];
  }

  function build() {
    loss = chart(lossEl, [
      { label: t("chart.trainLoss"), color: TRAIN },
      { label: t("chart.testLoss"), color: TEST, dash: [6, 4] },
    ], { log });
    metricEl.hidden = metrics.length === 0;
    metricNote.hidden = metrics.length > 0;
    metric = metrics.length
      ? chart(metricEl, metrics.flatMap((m, i) => [
        { label: t("chart.train", { name: metricName(m) }), color: PALETTE[i % PALETTE.length] },
        { label: t("chart.test", { name: metricName(m) }), color: PALETTE[i % PALETTE.length], dash: [6, 4] },
      ]), { height: 140 })
      : null;
    update();
  }

  function update() {
    loss?.setData(dataFor(["loss", "val_loss"]));
    metric?.setData(dataFor(metrics.flatMap((m) => [m, `val_${m}`])));
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
  };
}
