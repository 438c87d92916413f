// Ask the model: type one value per feature (named by the data set), or draw on an 8 × 8 grid for
// digit pictures, and see the model's output through POST /api/runs/{id}/predict — the class
// probabilities with their names, or the value. Values are typed in the data's own units; when
// the data set is scaled, the server applies the run's scaling (fitted on the training split).

import { api } from "./api.js";
import { formatNumber, t } from "./i18n.js";
import { createRefresher } from "./refresher.js";

const DIGIT_MAX = 16; // scikit-learn's digits: pixel intensity 0..16

export function createPredictBox({ root }) {
  const box = root.querySelector("#predict-box");
  const fields = root.querySelector("#predict-fields");
  const grid = root.querySelector("#predict-grid");
  const gridTools = root.querySelector("#predict-grid-tools");
  const clear = root.querySelector("#predict-clear");
  const output = root.querySelector("#predict-output");
  const hint = root.querySelector("#predict-hint");
  let info = null;
  let names = [];
  let values = []; // the typed values, or the 64 pixels
  let image = false;
  let plane = false;
  let run = null;
  let answer = null; // the model's output row for the current values
  let ticket = 0;
  let timer = 0;

  async function ask(id) {
    if (!id || !info || !values.length || values.some((v) => !Number.isFinite(v))) return; // no row yet: its data are on the way
    // Only the followed run, and only on the data set whose row the box holds (a run of the old
    // setup, or a new run before its rows came, would answer 422 for a row of the wrong width).
    if (id !== run?.id || (run.spec?.dataset?.name && run.spec.dataset.name !== info.name)) return;
    const mine = ++ticket;
    const got = plane ? await api.predictPoints(id, [values]) : await api.predict(id, [values]);
    if (mine === ticket) {
      answer = got.outputs[0];
      renderOutput();
    }
  }
  const refresher = createRefresher(ask, 1000);
  const askSoon = () => {
    clearTimeout(timer);
    timer = setTimeout(() => run?.id && run.status !== "starting" && ask(run.id).catch(() => {}), 120);
  };

  function renderFields() {
    fields.replaceChildren();
    fields.hidden = image;
    if (image) return;
    names.forEach((name, j) => {
      const label = document.createElement("label");
      const span = document.createElement("span");
      span.textContent = name;
      const input = document.createElement("input");
      input.type = "number";
      input.step = "any";
      input.value = String(values[j]);
      input.dataset.testid = `predict-input-${j}`;
      input.addEventListener("input", () => {
        values[j] = input.value.trim() === "" ? NaN : Number(input.value);
        askSoon();
      });
      label.append(span, input);
      fields.append(label);
    });
  }

  // --- the 8 × 8 drawing grid -------------------------------------------------------------------
  const side = () => Math.round(Math.sqrt(values.length));

  function drawGrid() {
    const n = side();
    const size = 160;
    const ratio = window.devicePixelRatio || 1;
    grid.width = grid.height = Math.round(size * ratio);
    const ctx = grid.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const cell = size / n;
    grid.dataset.pixels = values.join(","); // what is drawn, for tests and scripts
    values.forEach((v, i) => {
      const g = Math.round(255 - (255 * v) / DIGIT_MAX);
      ctx.fillStyle = `rgb(${g}, ${g}, ${g})`;
      ctx.fillRect((i % n) * cell, Math.floor(i / n) * cell, cell, cell);
    });
    ctx.strokeStyle = "#d1d5db";
    ctx.lineWidth = 1;
    for (let k = 1; k < n; k++) {
      ctx.beginPath();
      ctx.moveTo(k * cell, 0);
      ctx.lineTo(k * cell, size);
      ctx.moveTo(0, k * cell);
      ctx.lineTo(size, k * cell);
      ctx.stroke();
    }
  }

  let painting = null; // the intensity a drag paints: full, or 0 when it started on a full pixel
  function cellAt(event) {
    const rect = grid.getBoundingClientRect();
    const n = side();
    const col = Math.floor(((event.clientX - rect.left) / rect.width) * n);
    const row = Math.floor(((event.clientY - rect.top) / rect.height) * n);
    return col >= 0 && col < n && row >= 0 && row < n ? row * n + col : -1;
  }
  function paint(event) {
    const i = cellAt(event);
    if (i < 0 || painting === null || values[i] === painting) return;
    values[i] = painting;
    drawGrid();
    askSoon();
  }
  grid.addEventListener("pointerdown", (event) => {
    const i = cellAt(event);
    if (i < 0) return;
    grid.setPointerCapture(event.pointerId);
    painting = values[i] >= DIGIT_MAX ? 0 : DIGIT_MAX;
    paint(event);
  });
  grid.addEventListener("pointermove", paint);
  for (const type of ["pointerup", "pointercancel"]) grid.addEventListener(type, () => (painting = null));
  clear.addEventListener("click", () => {
    values = values.map(() => 0);
    drawGrid();
    askSoon();
  });

  // --- the answer -------------------------------------------------------------------------------
  function renderOutput() {
    output.replaceChildren();
    const ready = run?.id && run.status !== "starting";
    hint.textContent = !ready ? t("predict.noRun") : info?.scaling && info.scaling !== "none" ? t("predict.scaled") : "";
    if (!answer || !ready) return;
    if (info.task !== "classification") {
      // One value, or one per target (H(X) = XW with W of shape [features, targets]), each named.
      const names = info.target_names?.length ? info.target_names : [null];
      names.forEach((name, k) => {
        const value = document.createElement("p");
        value.className = "predict-value";
        value.dataset.testid = k ? `predict-value-${k}` : "predict-value";
        value.dataset.value = String(answer[k]);
        value.textContent = `${name ? `${name}:` : t("predict.value")} ${formatNumber(answer[k])}`;
        output.append(value);
      });
      return;
    }
    const probs = answer.length === 1 ? [1 - answer[0], answer[0]] : answer;
    const best = probs.indexOf(Math.max(...probs));
    probs.forEach((p, k) => {
      const item = document.createElement("div");
      item.className = k === best ? "prob best" : "prob";
      item.dataset.testid = `predict-prob-${k}`;
      item.dataset.value = String(p);
      const name = document.createElement("span");
      name.className = "prob-name";
      name.textContent = info.class_names?.[k] ?? String(k);
      const bar = document.createElement("span");
      bar.className = "prob-bar";
      bar.style.setProperty("--share", String(Math.max(0, Math.min(1, p))));
      const value = document.createElement("span");
      value.className = "num";
      value.textContent = formatNumber(p, 3);
      item.append(name, bar, value);
      output.append(item);
    });
  }

  return {
    /** The data set (info, the reference the run uses and its preview); null hides the box. */
    async setData(nextInfo, ref, data) {
      const mine = ++ticket;
      info = nextInfo && { ...nextInfo, scaling: ref?.scaling ?? "none" };
      answer = null;
      refresher.forget();
      box.hidden = !info;
      if (!info) return;
      plane = info.kind === "plane";
      image = (info.input_shape ?? []).length > 1;
      names = plane ? ["x1", "x2"] : info.feature_names;
      values = []; // the old data's row must not be asked of the new run while the raw rows load
      let raw = data;
      if (!plane && info.scaling !== "none") {
        // The first training row in the data's own units, as a starting value to edit.
        const { name, features, ...query } = ref;
        raw = await api.dataset(name, { ...query, scaling: "none" });
        if (mine !== ticket) return;
      }
      const rows = (raw.x_train ?? []).map((r) => (image ? r.flat(2) : r));
      const first = plane ? raw.points_train?.[0] ?? [0, 0] : rows[0] ?? names.map(() => 0);
      values = image ? first.map(() => 0) : first.map((v) => Number(Number(v).toPrecision(4)));
      gridTools.hidden = !image;
      if (image) drawGrid();
      renderFields();
      renderOutput();
      if (run?.id) askSoon();
    },
    follow(next) {
      const changed = (next?.id ?? null) !== (run?.id ?? null);
      run = next;
      if (changed) {
        answer = null;
        refresher.forget();
        renderOutput();
      }
      if (info && run?.id) refresher.follow(run);
    },
    render: renderOutput,
  };
}
