// The data column: data-set buttons (the plane sets with thumbnails, then the course's tables,
// the real sets and the student's own), noise, training share, scaling, batch size, regenerate.

import { api } from "./api.js";
import { adaptToDataset } from "./defaults.js";
import { classColor, css, diverging, MID } from "./colors.js";
import { datasetName, describe, onLanguage, t } from "./i18n.js";

// The groups of the list, in order; a data set's kind says where it goes.
const GROUPS = [
  ["plane", "data.group.plane"],
  ["table", "data.group.table"],
  ["real", "data.group.real"],
  ["upload", "data.group.upload"],
];
const groupOf = (info) => (GROUPS.some(([kind]) => kind === info.kind) ? info.kind : "upload");

const range = (values) => {
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (!(hi > lo)) [lo, hi] = [lo - 1, lo + 1];
  return [lo, hi];
};

/** A small picture of the data: the plane's points, a table's first two columns, or one image. */
function drawThumbnail(canvas, info, data) {
  const ctx = canvas.getContext("2d");
  const size = canvas.width;
  ctx.fillStyle = css(MID);
  ctx.fillRect(0, 0, size, size);
  const ys = data.y_train.slice(0, 300);
  if ((info.input_shape ?? []).length > 1) {
    // An image set: its first picture, grey levels.
    const image = data.x_train[0].flat(2);
    const [lo, hi] = range(image);
    const side = info.input_shape[1];
    const cell = size / side;
    image.forEach((v, i) => {
      const g = Math.round(255 - (255 * (v - lo)) / (hi - lo));
      ctx.fillStyle = `rgb(${g},${g},${g})`;
      ctx.fillRect((i % side) * cell, Math.floor(i / side) * cell, cell + 0.5, cell + 0.5);
    });
    return;
  }
  const rows = (data.points_train ?? data.x_train).slice(0, 300);
  const [ylo, yhi] = range(ys);
  // One feature: x against y. Two or more: the first two features.
  const pairs = info.kind === "plane" ? rows.map(([a, b]) => [(a + 6) / 12, (b + 6) / 12])
    : rows[0]?.length === 1 ? rows.map(([x], i) => [x, ys[i]]) : rows.map(([a, b]) => [a, b]);
  const [alo, ahi] = info.kind === "plane" ? [0, 1] : range(pairs.map((p) => p[0]));
  const [blo, bhi] = info.kind === "plane" ? [0, 1] : range(pairs.map((p) => p[1]));
  const r = rows.length < 20 ? size / 14 : size / 30;
  pairs.forEach(([a, b], i) => {
    const x = 0.1 + (0.8 * (a - alo)) / (ahi - alo);
    const y = 0.9 - (0.8 * (b - blo)) / (bhi - blo);
    ctx.beginPath();
    ctx.arc(x * size, y * size, r, 0, 2 * Math.PI);
    ctx.fillStyle = info.task === "regression" ? css(diverging((2 * (ys[i] - ylo)) / (yhi - ylo) - 1)) : css(classColor(ys[i], info.n_classes));
    ctx.fill();
  });
}

export function createDataPanel({ store, datasets, root }) {
  const list = root.querySelector("#datasets");
  const description = root.querySelector("#dataset-description");
  const scaling = root.querySelector("#scaling");
  const panel = root.querySelector(".panel.data");
  const buttons = new Map();
  const groups = new Map();

  // Each group folds away (the plane's sets open at first), so the knobs under the list stay
  // near the top; the chosen set's group opens when a lesson or a link chooses it.
  for (const [kind, key] of GROUPS) {
    const box = document.createElement("details");
    box.className = `dataset-group group-${kind}`;
    box.dataset.testid = `dataset-group-${kind}`;
    box.open = kind === "plane" || kind === "upload";
    const heading = document.createElement("summary");
    const title = document.createElement("h4");
    title.dataset.i18n = key;
    title.textContent = t(key);
    const count = document.createElement("span");
    count.className = "group-count";
    heading.append(title, count);
    const items = document.createElement("div");
    items.className = kind === "plane" ? "dataset-grid" : "dataset-list";
    box.append(heading, items);
    box.hidden = true;
    groups.set(kind, { box, items });
    list.append(box);
  }

  /** Add a data set's button (the server's list at start, an upload later). */
  function add(info) {
    if (buttons.has(info.name)) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = `dataset kind-${info.kind}`;
    button.dataset.testid = `dataset-${info.name}`;
    button.setAttribute("role", "radio");
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = info.kind === "plane" ? 64 : 32;
    const name = document.createElement("span");
    name.className = "dataset-name";
    const kind = document.createElement("span");
    kind.className = "dataset-kind";
    button.append(canvas, name, kind);
    button.addEventListener("click", () => {
      if (store.get().dataset.name === info.name) return;
      store.update((draft) => {
        const before = buttons.get(draft.dataset.name)?.info;
        draft.dataset.name = info.name;
        // Tables and real sets come with their own split (the course's tiny tables train on all).
        if (info.kind !== "plane" || before?.kind !== "plane") draft.dataset.train_ratio = info.default_train_ratio ?? 0.5;
        if (info.kind === "plane") draft.dataset.scaling = "none";
        delete draft.dataset.n_samples;
        adaptToDataset(draft, info);
      });
    });
    buttons.set(info.name, { button, kind, info });
    const group = groups.get(groupOf(info));
    group.items.append(button);
    group.box.hidden = false;
    group.box.querySelector(".group-count").textContent = String(group.items.children.length);
    api.dataset(info.name, { n_samples: info.kind === "plane" && !info.fixed ? 200 : undefined, seed: 0 })
      .then((data) => drawThumbnail(canvas, info, data))
      .catch(() => {});
  }
  datasets.forEach(add);

  /** @type {[string, string, (s: any) => number, (d: any, v: number) => void, (v: number) => string][]} */
  const sliderSpecs = [
    ["#noise", "#noise-value", (s) => s.dataset.noise, (d, v) => (d.dataset.noise = v), (v) => String(v)],
    ["#train-ratio", "#train-ratio-value", (s) => Math.round(s.dataset.train_ratio * 100), (d, v) => (d.dataset.train_ratio = v / 100), (v) => `${v}%`],
    ["#batch-size", "#batch-size-value", (s) => s.batchSize, (d, v) => (d.batchSize = v), (v) => String(v)],
  ];
  const sliders = sliderSpecs.map(([input, output, get, set, show]) => {
    const el = root.querySelector(input);
    const out = root.querySelector(output);
    el.addEventListener("input", () => (out.value = show(Number(el.value))));
    el.addEventListener("change", () => store.update((d) => set(d, Number(el.value))));
    return { el, out, get, show };
  });

  scaling.addEventListener("change", () => store.update((d) => (d.dataset.scaling = scaling.value)));
  root.querySelector("#regenerate").addEventListener("click", () => store.update((d) => (d.dataset.seed = (d.dataset.seed ?? 0) + 1)));

  let shownName = null; // the data set whose group was last opened for it

  function render() {
    const state = store.get();
    let uploads = 0;
    for (const [name, { button, kind, info }] of buttons) {
      // An upload's name is an unguessable key: the list numbers them instead.
      button.querySelector(".dataset-name").textContent = groupOf(info) === "upload" ? t("own.name", { n: ++uploads }) : info.title ?? datasetName(name);
      const selected = name === state.dataset.name;
      button.classList.toggle("selected", selected);
      button.setAttribute("aria-checked", String(selected));
      button.title = describe("datasets", info);
      kind.textContent = info.task === "regression" ? t("data.regression") : t("data.classes", { n: info.n_classes });
      kind.hidden = info.kind === "plane" && info.task !== "regression" && info.n_classes === 2; // two classes is the usual case
    }
    const info = buttons.get(state.dataset.name)?.info;
    if (info && state.dataset.name !== shownName) {
      shownName = state.dataset.name;
      const box = groups.get(groupOf(info))?.box;
      if (box) box.open = true;
    }
    description.textContent = info ? describe("datasets", info) : "";
    // The plane's own knobs (noise) mean nothing for a table; a table's share is the course's.
    panel.dataset.kind = info?.kind ?? "plane";
    panel.classList.toggle("fixed-data", Boolean(info?.fixed)); // a challenge's rows: no noise, no redraw
    for (const option of scaling.options) option.textContent = t(`data.scaling.${option.value}`);
    scaling.value = state.dataset.scaling ?? "none";
    for (const { el, out, get, show } of sliders) {
      el.value = String(get(state));
      out.value = show(get(state));
    }
  }

  // It shows the store's data set and batch size, in the page's language, by itself; a class's
  // challenge titles (not the store's) are told by render().
  store.subscribe((_state, changed) => (changed.has("dataset") || changed.has("batchSize")) && render());
  onLanguage(render);
  render();
  return { render, add };
}
