// The data column: data-set thumbnails, noise, training share, batch size, regenerate.

import { api } from "./api.js";
import { adaptToDataset } from "./defaults.js";
import { classColor, css, diverging, MID } from "./colors.js";
import { datasetName, describe, t } from "./i18n.js";

function drawThumbnail(canvas, info, data) {
  const ctx = canvas.getContext("2d");
  const size = canvas.width;
  ctx.fillStyle = css(MID);
  ctx.fillRect(0, 0, size, size);
  const points = data.points_train ?? data.x_train;
  const ys = data.y_train;
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (hi === lo) hi = lo + 1;
  const r = points.length < 20 ? 5 : 2.2;
  points.forEach(([x1, x2], i) => {
    // Table sets (xor_table) live in [0, 1]; plane sets in [-6, 6].
    const [a, b] = info.kind === "plane" ? [(x1 + 6) / 12, (6 - x2) / 12] : [0.2 + 0.6 * x1, 0.8 - 0.6 * x2];
    ctx.beginPath();
    ctx.arc(a * size, b * size, r, 0, 2 * Math.PI);
    ctx.fillStyle = info.task === "regression" ? css(diverging((2 * (ys[i] - lo)) / (hi - lo) - 1)) : css(classColor(ys[i], info.n_classes));
    ctx.fill();
  });
}

export function createDataPanel({ store, datasets, root }) {
  const list = root.querySelector("#datasets");
  const description = root.querySelector("#dataset-description");
  const buttons = new Map();

  for (const info of datasets) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "dataset";
    button.dataset.testid = `dataset-${info.name}`;
    button.setAttribute("role", "radio");
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const name = document.createElement("span");
    name.className = "dataset-name";
    const kind = document.createElement("span");
    kind.className = "dataset-kind";
    button.append(canvas, name, kind);
    button.addEventListener("click", () => {
      if (store.get().dataset.name === info.name) return;
      store.update((draft) => {
        draft.dataset.name = info.name;
        adaptToDataset(draft, info);
      });
    });
    buttons.set(info.name, { button, kind, info });
    list.append(button);
    api.dataset(info.name, { n_samples: info.kind === "plane" ? 200 : undefined, seed: 0 })
      .then((data) => drawThumbnail(canvas, info, data))
      .catch(() => {});
  }

  const sliders = [
    ["#noise", "#noise-value", (s) => s.dataset.noise, (d, v) => (d.dataset.noise = v), (v) => String(v)],
    ["#train-ratio", "#train-ratio-value", (s) => Math.round(s.dataset.train_ratio * 100), (d, v) => (d.dataset.train_ratio = v / 100), (v) => `${v}%`],
    ["#batch-size", "#batch-size-value", (s) => s.batchSize, (d, v) => (d.batchSize = v), (v) => String(v)],
  ].map(([input, output, get, set, show]) => {
    const el = root.querySelector(input);
    const out = root.querySelector(output);
    el.addEventListener("input", () => (out.value = show(Number(el.value))));
    el.addEventListener("change", () => store.update((d) => set(d, Number(el.value))));
    return { el, out, get, show };
  });

  root.querySelector("#regenerate").addEventListener("click", () => store.update((d) => (d.dataset.seed = (d.dataset.seed ?? 0) + 1)));

  function render() {
    const state = store.get();
    for (const [name, { button, kind, info }] of buttons) {
      button.querySelector(".dataset-name").textContent = datasetName(name);
      const selected = name === state.dataset.name;
      button.classList.toggle("selected", selected);
      button.setAttribute("aria-checked", String(selected));
      button.title = describe("datasets", info);
      kind.textContent = info.task === "regression" ? t("data.regression") : t("data.classes", { n: info.n_classes });
      kind.hidden = info.task !== "regression" && info.n_classes === 2; // two classes is the usual case
    }
    const info = buttons.get(state.dataset.name)?.info;
    description.textContent = info ? describe("datasets", info) : "";
    for (const { el, out, get, show } of sliders) {
      el.value = String(get(state));
      out.value = show(get(state));
    }
  }

  return { render };
}
