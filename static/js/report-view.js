// Data with more than two columns, or pictures: how the model does on the test split, from
// GET /api/runs/{id}/report (a confusion matrix, or predicted against true), and for images a
// few sample pictures with the true and the predicted class. Refreshed when a run pauses or
// ends, and every couple of seconds while it trains.

import { api } from "./api.js";
import { formatNumber, onLanguage, t } from "./i18n.js";
import { dot, frame, padded, polyline } from "./plots.js";
import { createRefresher } from "./refresher.js";

const SAMPLES = 8;

export function createReportView({ root }) {
  const box = root.querySelector("#report-view");
  const note = root.querySelector("#report-note");
  const confusion = root.querySelector("#confusion-matrix");
  const truthBox = root.querySelector("#truth-view");
  const truthPlot = root.querySelector("#truth-plot");
  const scores = root.querySelector("#report-scores");
  const samplesBox = root.querySelector("#sample-view");
  const samples = root.querySelector("#samples");
  let info = null;
  let images = null; // {x: [...], y: [...]} a few test pictures
  let report = null;
  let guesses = null; // predicted classes of the sample pictures

  const refresher = createRefresher(async (id) => {
    const [answer, predicted] = await Promise.all([
      api.report(id),
      // The API takes each picture as one flat row (reshaped to the model's input there); the
      // preview's pictures are scaled already, as the run's data set asked.
      images ? api.predictScaled(id, images.x.map((image) => image.flat(2))) : Promise.resolve(null),
    ]);
    report = answer;
    guesses = predicted && predicted.outputs.map((o) => (o.length === 1 ? Number(o[0] > 0.5) : o.indexOf(Math.max(...o))));
    render();
  }, 2000);

  const className = (i) => info?.class_names?.[i] ?? String(i);

  function cell(tag, text, className) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (className) el.className = className;
    return el;
  }

  function renderConfusion() {
    confusion.replaceChildren();
    const show = report?.task === "classification";
    confusion.hidden = !show;
    // Many classes (ten digits) fit the output column: narrow cells, scores as whole percents.
    const many = (report?.confusion?.length ?? 0) > 6;
    confusion.classList.toggle("many", many);
    if (!show) return;
    const names = report.class_names ?? info.class_names;
    const score = (v) => (many ? (Number.isFinite(v) ? String(Math.round(100 * v)) : "—") : formatNumber(v, 3));
    const caption = cell("caption", t("views.confusionCaption", { split: t(`views.split.${report.split}`) }));
    // Two heading rows: "predicted →" over the class columns, then "true ↓" and the class names.
    const over = document.createElement("tr");
    const predicted = cell("th", t("views.predictedArrow"), "axis");
    predicted.colSpan = names.length;
    over.append(cell("th", "", "corner"), predicted, cell("th", "", "score"));
    const head = document.createElement("tr");
    head.append(cell("th", t("views.trueArrow"), "corner"), ...names.map((n) => cell("th", n, "pred")), cell("th", t(many ? "views.recallPercent" : "views.recall"), "score"));
    const rows = report.confusion.map((counts, i) => {
      const tr = document.createElement("tr");
      const total = counts.reduce((a, v) => a + v, 0) || 1;
      tr.append(cell("th", names[i], "true"));
      counts.forEach((count, j) => {
        const td = cell("td", String(count), i === j ? "hit" : count ? "miss" : "");
        td.style.setProperty("--share", String(count / total));
        tr.append(td);
      });
      tr.append(cell("td", score(report.recall[i]), "score"));
      return tr;
    });
    const foot = document.createElement("tr");
    foot.append(cell("th", t(many ? "views.precisionPercent" : "views.precision"), "score"), ...report.precision.map((p) => cell("td", score(p), "score")), cell("td", "", "score"));
    const body = document.createElement("tbody");
    body.append(...rows, foot);
    const thead = document.createElement("thead");
    thead.append(over, head);
    confusion.append(caption, thead, body);
  }

  function renderTruth() {
    const show = report?.task === "regression";
    truthBox.hidden = !show;
    if (!show) return;
    const values = report.pairs.flat();
    const r = padded([Math.min(...values), Math.max(...values)], 0.06);
    const { ctx, x, y } = frame(truthPlot, r, r, { xLabel: t("views.true"), yLabel: t("views.predicted") });
    polyline(ctx, [[x(r[0]), y(r[0])], [x(r[1]), y(r[1])]], "#9ca3af", 1.5);
    for (const [truth, guess] of report.pairs) dot(ctx, x(truth), y(guess), 3.2, "#0877bd", null);
  }

  function renderScores() {
    scores.replaceChildren();
    if (!report) return;
    const items = report.task === "classification"
      ? [[t("views.accuracy"), report.accuracy]]
      : [["MAE", report.mae], ["MSE", report.mse], ["R²", report.r2]];
    for (const [label, value] of items) {
      const span = cell("span", `${label} ${formatNumber(value, 4)}`, "score-item");
      scores.append(span);
    }
    scores.dataset.testid = "report-scores";
  }

  function renderSamples() {
    samplesBox.hidden = !images;
    if (!images) return;
    samples.replaceChildren();
    images.x.forEach((image, k) => {
      const figure = document.createElement("figure");
      const canvas = document.createElement("canvas");
      const rows = image.length;
      const cols = image[0].length;
      canvas.width = cols;
      canvas.height = rows;
      const ctx = canvas.getContext("2d");
      const flat = image.flat(2);
      const lo = Math.min(...flat);
      const hi = Math.max(...flat) || 1;
      const pixels = ctx.createImageData(cols, rows);
      flat.forEach((v, i) => {
        const g = Math.round(255 - (255 * (v - lo)) / (hi - lo || 1));
        pixels.data.set([g, g, g, 255], i * 4);
      });
      ctx.putImageData(pixels, 0, 0);
      const guess = guesses?.[k];
      const caption = document.createElement("figcaption");
      caption.append(cell("span", t("views.trueClass", { name: className(images.y[k]) })));
      caption.append(cell("span", guess === undefined ? t("views.notYet") : t("views.predictedClass", { name: className(guess) }),
        guess === undefined ? "" : guess === images.y[k] ? "right" : "wrong"));
      figure.append(canvas, caption);
      samples.append(figure);
    });
  }

  function render() {
    if (!info) return;
    note.hidden = Boolean(report);
    renderConfusion();
    renderTruth();
    renderScores();
    renderSamples();
  }

  onLanguage(render); // redrawn in a new language by itself
  return {
    /** The data set (null hides the view); `data` is its preview (test pictures for image sets). */
    setData(nextInfo, data) {
      info = nextInfo;
      box.hidden = !info;
      report = null;
      guesses = null;
      refresher.forget();
      const isImage = (info?.input_shape ?? []).length > 1;
      const [x, y] = data && data.x_test.length ? [data.x_test, data.y_test] : [data?.x_train ?? [], data?.y_train ?? []];
      images = isImage ? { x: x.slice(0, SAMPLES), y: y.slice(0, SAMPLES) } : null;
      render();
    },
    follow(run) {
      if (!info) return;
      if (!run) {
        if (report || guesses) {
          report = null;
          guesses = null;
          refresher.forget();
          render();
        }
        return;
      }
      refresher.follow(run);
    },
    render,
  };
}
