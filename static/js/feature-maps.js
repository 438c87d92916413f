// An image model as images: a test picture the student picks, each Conv2D filter, and what each
// filter makes of the picture after Conv2D and after pooling, at the run's weights now
// (GET /api/runs/{id}/feature-maps, asked about once a second while it trains). It follows the
// store's layers and the page's language by itself; the page tells it the data and the run.

import { api } from "./api.js";
import { diverging } from "./colors.js";
import { formatNumber, onLanguage, t } from "./i18n.js";
import { createRefresher } from "./refresher.js";

const SAMPLES = 8; // test pictures to choose from (the report's sample pictures are the same)
const SHOWN = 8; // filters drawn side by side; the answer counts the others
const INK = [8, 48, 107]; // a map's largest value; zero is white

/** @typedef {{layer: string, type: string, shape: number[], min: number, max: number, maps: number[][][]}} MapLayer */

/** Paint a grid of numbers into a canvas, one pixel per cell (CSS scales it up, pixelated). */
function paint(canvas, grid, colour) {
  const rows = grid.length;
  const cols = grid[0]?.length ?? 0;
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(cols, rows);
  grid.flat().forEach((v, i) => image.data.set([...colour(v).map(Math.round), 255], i * 4));
  ctx.putImageData(image, 0, 0);
}

/** White at or below `lo`, dark blue at `hi`: how strongly a filter answered there. */
const strength = (lo, hi) => (v) => {
  const k = hi > lo ? Math.max(0, Math.min(1, (v - Math.min(lo, 0)) / (hi - Math.min(lo, 0)))) : 0;
  return [255 + (INK[0] - 255) * k, 255 + (INK[1] - 255) * k, 255 + (INK[2] - 255) * k];
};
/** The picture as the model takes it: white paper, dark ink. */
const ink = (lo, hi) => (v) => {
  const g = 255 - (255 * (v - lo)) / (hi - lo || 1);
  return [g, g, g];
};

/**
 * `onImages` gets the picture and each picture layer's maps as canvases ({picture, layers: [{type,
 * canvases}]}) whenever they are drawn, or null (the network diagram shows them in its nodes).
 * @param {{root: Document, store: {get: () => any, subscribe: (listener: (state: any, changed: Set<string>) => void) => unknown}, onImages?: (images: object | null) => void}} options
 */
export function createFeatureMaps({ root, store, onImages = (_images) => {} }) {
  const box = /** @type {HTMLElement} */ (root.querySelector("#feature-maps"));
  const picker = /** @type {HTMLElement} */ (root.querySelector("#feature-samples"));
  const chosen = /** @type {HTMLElement} */ (root.querySelector("#feature-chosen"));
  const grid = /** @type {HTMLElement} */ (root.querySelector("#feature-grid"));
  const note = /** @type {HTMLElement} */ (root.querySelector("#feature-note"));
  let images = null; // {x, y}: the first test pictures of the data set, as the model takes them
  let classNames = [];
  let sample = 0;
  let run = null;
  let answer = null;

  const hasPictureLayer = () => store.get().layers.some((l) => l.type === "Conv2D" || (l.type.endsWith("Pooling2D") && !l.type.startsWith("Global")));
  const className = (i) => classNames[i] ?? String(i);

  const refresher = createRefresher(async (id) => {
    if (box.hidden || !hasPictureLayer()) return;
    const asked = sample;
    const got = await api.featureMaps(id, asked);
    if (got.run === run?.id && asked === sample) {
      answer = got;
      render();
    }
  }, 1000);

  function ask() {
    refresher.forget();
    refresher.follow(run);
  }

  function renderPicker() {
    picker.replaceChildren();
    if (!images) return;
    images.x.forEach((image, k) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "feature-sample";
      button.dataset.testid = `feature-sample-${k}`;
      button.setAttribute("aria-pressed", String(k === sample));
      button.setAttribute("aria-label", t("cnn.pick", { n: k + 1, name: className(images.y[k]) }));
      const canvas = document.createElement("canvas");
      const flat = image.map((row) => row.map((pixel) => (Array.isArray(pixel) ? pixel[0] : pixel)));
      const values = flat.flat();
      paint(canvas, flat, ink(Math.min(...values), Math.max(...values)));
      button.append(canvas);
      button.addEventListener("click", () => {
        if (sample === k) return;
        sample = k;
        answer = null;
        render();
        ask();
      });
      picker.append(button);
    });
  }

  /** One labelled row of small pictures: a row head, then one cell per filter. */
  function row(head, detail, cells, testid) {
    const tr = document.createElement("tr");
    tr.dataset.testid = testid;
    const th = document.createElement("th");
    th.scope = "row";
    th.append(head);
    if (detail) {
      const small = document.createElement("small");
      small.textContent = detail;
      th.append(document.createElement("br"), small);
    }
    tr.append(th, ...cells.map((canvas) => {
      const td = document.createElement("td");
      td.append(canvas);
      return td;
    }));
    return tr;
  }

  function canvases(grids, colour, label) {
    return grids.slice(0, SHOWN).map((g, f) => {
      const canvas = document.createElement("canvas");
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `${label} · ${t("cnn.filter", { n: f + 1 })}`);
      paint(canvas, g, colour);
      return canvas;
    });
  }

  function renderAnswer() {
    grid.replaceChildren();
    chosen.replaceChildren();
    if (!answer) {
      delete box.dataset.epoch;
      note.textContent = run?.id ? t("cnn.asking") : t("cnn.idle");
      onImages(null);
      return;
    }
    box.dataset.epoch = String(answer.epoch);
    box.dataset.sample = String(answer.sample);
    const big = document.createElement("canvas");
    big.className = "feature-picture";
    big.dataset.testid = "feature-picture";
    const values = answer.image.flat();
    paint(big, answer.image, ink(Math.min(...values), Math.max(...values)));
    const said = document.createElement("p");
    const right = answer.predicted === answer.label;
    const top = Math.max(...answer.output);
    said.append(t("views.trueClass", { name: className(answer.label) }), document.createElement("br"));
    const guess = document.createElement("strong");
    guess.className = right ? "right" : "wrong";
    guess.dataset.testid = "feature-predicted";
    guess.textContent = `${t("views.predictedClass", { name: className(answer.predicted) })} (${formatNumber(100 * top, 2)} %)`;
    said.append(guess, document.createElement("br"), t("cnn.epoch", { epoch: answer.epoch }));
    chosen.append(big, said);

    const head = document.createElement("tr");
    const corner = document.createElement("th");
    head.append(corner);
    const count = Math.min(SHOWN, answer.layers[0]?.maps.length ?? 0);
    for (let f = 0; f < count; f++) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = String(f + 1);
      head.append(th);
    }
    const rows = [];
    const firstFilters = answer.filters[0];
    if (firstFilters) {
      const top = Math.max(Math.abs(firstFilters.min), Math.abs(firstFilters.max)) || 1;
      const size = firstFilters.kernel_size.join("×");
      rows.push(row(t("cnn.filters"), size, canvases(firstFilters.kernels, (v) => diverging(v / top), t("cnn.filters")), "feature-filters"));
    }
    const drawn = [];
    for (const layer of /** @type {MapLayer[]} */ (answer.layers)) {
      const [h, w] = layer.shape;
      const label = t("cnn.after", { layer: layer.type });
      const pictures = canvases(layer.maps, strength(layer.min, layer.max), label);
      drawn.push({ type: layer.type, canvases: pictures });
      rows.push(row(label, `${h}×${w}`, pictures, `feature-row-${layer.layer}`));
    }
    onImages({ picture: big, layers: drawn });
    const thead = document.createElement("thead");
    thead.append(head);
    const body = document.createElement("tbody");
    body.append(...rows);
    grid.append(thead, body);
    const filters = answer.layers[0]?.shape[2] ?? 0;
    note.textContent = [t("cnn.note"), filters > SHOWN ? t("cnn.more", { shown: SHOWN, n: filters }) : ""].filter(Boolean).join(" ");
  }

  function render() {
    box.hidden = !images;
    if (!images) return;
    for (const button of picker.querySelectorAll("button")) button.setAttribute("aria-pressed", String(button.dataset.testid === `feature-sample-${sample}`));
    if (!hasPictureLayer()) {
      grid.replaceChildren();
      chosen.replaceChildren();
      note.textContent = t("cnn.noConv");
      onImages(null);
      return;
    }
    renderAnswer();
  }

  store.subscribe((_state, changed) => {
    if (!changed.has("layers")) return;
    answer = null;
    render();
  });
  onLanguage(() => {
    renderPicker();
    render();
  });

  return {
    /** An image data set's info and preview (null hides the panel): its first test pictures to pick from. */
    setData(info, data) {
      const isImage = (info?.input_shape ?? []).length > 1 && data;
      const [x, y] = isImage && data.x_test.length ? [data.x_test, data.y_test] : [data?.x_train ?? [], data?.y_train ?? []];
      images = isImage ? { x: x.slice(0, SAMPLES), y: y.slice(0, SAMPLES) } : null;
      classNames = info?.class_names ?? [];
      sample = 0;
      answer = null;
      refresher.forget();
      renderPicker();
      render();
    },
    /** After a frame: a new run forgets the old answer; the maps are asked again (at most 1/s). */
    follow(next) {
      if ((next?.id ?? null) !== (run?.id ?? null)) {
        answer = null;
        refresher.forget();
        run = next;
        render();
      }
      run = next;
      if (images) refresher.follow(next);
    },
  };
}
