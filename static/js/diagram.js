// The network diagram, as in TF Playground: input features, every unit as a small map of its
// output over the input plane, lines whose width and colour show the weights. Pointing at a
// unit shows its values and its map large; pointing at a line shows its weight.

import { BLUE, byteTable, css, diverging, ORANGE } from "./colors.js";
import { formatNumber, onLanguage, t } from "./i18n.js";
import { paintChannel, valueOf } from "./maps.js";

export const FEATURES = {
  x1: (a) => a,
  x2: (a, b) => b,
  "x1^2": (a) => a * a,
  "x2^2": (a, b) => b * b,
  "x1*x2": (a, b) => a * b,
  "sin(x1)": (a) => Math.sin(a),
  "sin(x2)": (a, b) => Math.sin(b),
};
export const FEATURE_LABELS = { x1: "X₁", x2: "X₂", "x1^2": "X₁²", "x2^2": "X₂²", "x1*x2": "X₁X₂", "sin(x1)": "sin(X₁)", "sin(x2)": "sin(X₂)" };

const NODE = 36; // px, a unit's square
const GAP = 10;
const MAX_SHOWN = 8; // units drawn per layer; the rest are counted
const SVG = "http://www.w3.org/2000/svg";

function featureCanvas(name) {
  const n = 24;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = n;
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(n, n);
  const values = [];
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) values.push(FEATURES[name](-6 + (12 * (c + 0.5)) / n, 6 - (12 * (r + 0.5)) / n));
  const top = Math.max(...values.map(Math.abs)) || 1;
  values.forEach((v, i) => image.data.set([...diverging(v / top), 255], i * 4));
  ctx.putImageData(image, 0, 0);
  return canvas;
}

export function createDiagram({ container, tooltip, preview, onToggleFeature }) {
  let structure = null; // {plane, features: [{name, active}], layers: [{units, label, oneToOne?}]} (oneToOne: each unit fed by its own unit only, as pooling is)
  let columns = []; // [{x, nodes: [{y, el, canvas, unit}]}]
  let svg = null;
  let lines = []; // [{j, a, b, path}]
  let frame = null; // the last frame drawn: {neurons: decoded[], weights, grid: decoded}
  let hovered = null;
  let images = null; // an image model's picture and maps, drawn in its nodes: {picture, layers: [{type, canvases}]}

  function showTip(text, event) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    const box = container.getBoundingClientRect();
    tooltip.style.left = `${Math.min(event.clientX - box.left + 12, box.width - 180)}px`;
    tooltip.style.top = `${event.clientY - box.top + 12}px`;
  }

  function hideTip() {
    tooltip.hidden = true;
    preview.hidden = true;
    hovered = null;
  }

  function unitText(col, unit) {
    const layer = structure.layers[col - 1];
    const parts = [`${layer.label} · ${t("network.unit", { index: unit + 1 })}`];
    const weights = frame?.weights?.[col - 1];
    if (weights?.bias) parts.push(t("network.bias", { value: formatNumber(weights.bias[unit]) }));
    const map = col - 1 < structure.layers.length - 1 ? frame?.neurons?.[col - 1] : frame?.grid;
    if (map) {
      const channel = map.channels > 1 ? unit : 0;
      const size = map.rows * map.cols;
      let lo = 255;
      let hi = 0;
      for (let i = channel * size; i < (channel + 1) * size; i++) {
        lo = Math.min(lo, map.bytes[i]);
        hi = Math.max(hi, map.bytes[i]);
      }
      parts.push(t("network.range", { lo: formatNumber(valueOf(map, lo), 3), hi: formatNumber(valueOf(map, hi), 3) }));
    }
    return parts.join("\n");
  }

  /** The unit's map, large, beside the unit (on the side with room), its values under it. */
  function showPreview(canvas, anchor, text = "") {
    if (!canvas || !canvas.width) return;
    const ctx = preview.getContext("2d");
    preview.width = canvas.width;
    preview.height = canvas.height;
    ctx.drawImage(canvas, 0, 0);
    preview.hidden = false;
    const size = 140;
    const x = anchor.offsetLeft;
    const left = x + NODE + 12 + size < container.clientWidth ? x + NODE + 12 : Math.max(0, x - size - 12);
    const top = Math.max(0, Math.min(anchor.offsetTop - size / 2, container.clientHeight - size));
    preview.style.left = `${left}px`;
    preview.style.top = `${top}px`;
    if (text) {
      tooltip.textContent = text;
      tooltip.hidden = false;
      tooltip.style.left = `${left}px`;
      tooltip.style.top = `${top + size + 6}px`;
    }
  }

  function node(x, y, label, canvas) {
    const el = document.createElement("div");
    el.className = "node";
    el.style.left = `${x}px`;
    el.style.top = `${y}px`;
    if (canvas) el.append(canvas);
    if (label) {
      const span = document.createElement("span");
      span.className = "node-label";
      span.textContent = label;
      el.append(span);
    }
    container.append(el);
    return el;
  }

  function layout() {
    container.replaceChildren(tooltip, preview);
    columns = [];
    lines = [];
    graphUnits = new Map();
    if (!structure) return;
    if (structure.graph) return layoutGraph();
    const cols = [structure.features.length, ...structure.layers.map((l) => Math.min(l.units, MAX_SHOWN))];
    const width = container.clientWidth || 400;
    const rows = Math.max(...cols, 1);
    const left0 = 64;
    const step0 = cols.length > 1 ? ((container.clientWidth || 400) - left0 - NODE - 8) / (cols.length - 1) : 0;
    const narrow = step0 < 110; // many layers: headings wrap on two lines instead of running into each other
    const top = narrow ? 44 : 28;
    const height = top + rows * (NODE + GAP) + 18;
    container.style.height = `${height}px`;
    const left = 64; // room for the feature labels
    const step = cols.length > 1 ? (width - left - NODE - 8) / (cols.length - 1) : 0;
    svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "links");
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    container.prepend(svg);

    // Column headings.
    const heads = [t(structure.image ? "network.inputImage" : "network.features"), ...structure.layers.map((l, i) => (i === structure.layers.length - 1 ? t("network.output") : l.label))];
    heads.forEach((text, c) => {
      const h = document.createElement("div");
      h.className = "column-head";
      h.textContent = text;
      h.style.left = `${left + c * step + NODE / 2}px`;
      if (narrow) Object.assign(h.style, { whiteSpace: "normal", overflowWrap: c === heads.length - 1 ? "normal" : "anywhere", maxWidth: `${Math.max(40, step - 6)}px`, textAlign: "center", lineHeight: "1.1" });
      container.append(h);
    });

    const colTop = (n) => top + ((rows - n) * (NODE + GAP)) / 2;
    // Inputs.
    const inputs = { x: left, nodes: [] };
    structure.features.forEach((f, i) => {
      const y = colTop(structure.features.length) + i * (NODE + GAP);
      const picture = structure.image ? document.createElement("canvas") : null; // the chosen test picture
      const el = node(left, y, FEATURE_LABELS[f.name] ?? f.name, structure.plane && FEATURES[f.name] ? featureCanvas(f.name) : picture);
      el.classList.add("feature");
      el.classList.toggle("inactive", !f.active);
      if (structure.plane) {
        el.tabIndex = 0;
        el.setAttribute("role", "switch");
        el.setAttribute("aria-checked", String(f.active));
        el.setAttribute("aria-label", t("network.featureToggle", { name: f.name }));
        el.dataset.testid = `feature-${f.name}`;
        const toggle = () => onToggleFeature(f.name);
        el.addEventListener("click", toggle);
        el.addEventListener("keydown", (e) => (e.key === "Enter" || e.key === " ") && (e.preventDefault(), toggle()));
      }
      el.addEventListener("mouseenter", () => showPreview(el.querySelector("canvas"), el));
      el.addEventListener("mouseleave", hideTip);
      inputs.nodes.push({ y, el, canvas: picture, unit: i, active: f.active });
    });
    columns.push(inputs);

    // Dense layers.
    structure.layers.forEach((layer, j) => {
      const x = left + (j + 1) * step;
      const shown = Math.min(layer.units, MAX_SHOWN);
      const col = { x, nodes: [] };
      for (let u = 0; u < shown; u++) {
        const y = colTop(shown) + u * (NODE + GAP);
        const canvas = document.createElement("canvas");
        const el = node(x, y, "", canvas);
        el.dataset.testid = `unit-${j}-${u}`;
        el.addEventListener("mouseenter", () => {
          hovered = { c: j + 1, u, el };
          showPreview(canvas, el, unitText(j + 1, u));
        });
        el.addEventListener("mouseleave", hideTip);
        col.nodes.push({ y, el, canvas, unit: u });
      }
      if (layer.units > shown) {
        const more = document.createElement("div");
        more.className = "more";
        more.textContent = t("network.more", { n: layer.units - shown });
        more.style.left = `${x}px`;
        more.style.top = `${colTop(shown) + shown * (NODE + GAP) - GAP + 2}px`;
        container.append(more);
      }
      columns.push(col);
    });

    // Links between consecutive columns (from active inputs only).
    for (let j = 1; j < columns.length; j++) {
      const from = columns[j - 1].nodes.filter((n) => n.active !== false);
      from.forEach((a, ai) => {
        for (const b of columns[j].nodes) {
          if (structure.layers[j - 1].oneToOne && b.unit !== a.unit) continue; // pooling: each map to its own
          const x1 = columns[j - 1].x + NODE;
          const y1 = a.y + NODE / 2;
          const x2 = columns[j].x;
          const y2 = b.y + NODE / 2;
          const mx = (x1 + x2) / 2;
          const d = `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
          const path = document.createElementNS(SVG, "path");
          path.setAttribute("d", d);
          path.setAttribute("class", "link");
          const hit = document.createElementNS(SVG, "path");
          hit.setAttribute("d", d);
          hit.setAttribute("class", "hit");
          const line = { j: j - 1, a: ai, b: b.unit, path, from: j === 1 ? FEATURE_LABELS[structure.activeNames[ai]] : t("network.unit", { index: ai + 1 }) };
          hit.addEventListener("mousemove", (event) => {
            const w = frame?.weights?.[line.j]?.kernel?.[line.a]?.[line.b];
            const where = t("network.from", { a: line.from, b: t("network.unit", { index: line.b + 1 }) });
            showTip(`${t("network.weight", { value: formatNumber(w) })}\n${where}`, event);
          });
          hit.addEventListener("mouseleave", hideTip);
          svg.append(path, hit);
          lines.push(line);
        }
      });
    }
    if (frame) paint();
    paintImages();
  }

  /** An image model's nodes show the picture and, per Conv2D or pooling column, each filter's map. */
  function paintImages() {
    if (!structure?.image || !images || structure.graph) return;
    const copy = (from, to) => {
      if (!from || !to) return;
      [to.width, to.height] = [from.width, from.height];
      to.getContext("2d").drawImage(from, 0, 0);
    };
    copy(images.picture, columns[0]?.nodes[0]?.canvas);
    const left = [...images.layers]; // the model's picture layers in order, each taken by its column
    structure.layers.forEach((layer, j) => {
      const k = layer.type ? left.findIndex((l) => l.type === layer.type) : -1;
      if (k < 0) return;
      const [found] = left.splice(0, k + 1).slice(-1);
      for (const n of columns[j + 1]?.nodes ?? []) copy(found.canvases[n.unit], n.canvas);
    });
  }

  // --- a graph model (the functional API) ---------------------------------------------------------
  let graphUnits = new Map(); // node name -> {item, points: [{x, y, el, canvas, unit}]}

  function curve(x1, y1, x2, y2) {
    const mx = (x1 + x2) / 2;
    return `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`;
  }

  /** Nodes in columns by depth; a Dense node is its units, a merge one round node; edges follow the graph. */
  function layoutGraph() {
    const { items, depth } = structure.graph;
    const width = container.clientWidth || 400;
    // Room for the longest feature name left of its node (a table's columns: "attendance").
    const longest = Math.max(0, ...items.filter((i) => i.kind === "input").flatMap((i) => i.features.map((f) => (FEATURE_LABELS[f] ?? f).length)));
    const left = Math.max(64, Math.min(150, 18 + longest * 8.5));
    const step = depth > 0 ? (width - left - NODE - 8) / depth : 0;
    const HEAD = 30; // a node's name above it (two lines at most)
    const SPACE = 16; // between the nodes of a column
    const sizeOf = (item) => (item.kind === "input" ? item.features.length : Math.max(1, Math.min(item.units, MAX_SHOWN)));
    const heightOf = (item) => HEAD + sizeOf(item) * (NODE + GAP) + (item.kind !== "input" && item.units > MAX_SHOWN ? 12 : 0);
    const byDepth = Array.from({ length: depth + 1 }, (_, d) => items.filter((i) => i.depth === d));
    const colHeight = byDepth.map((col) => col.reduce((sum, i) => sum + heightOf(i), 0) + Math.max(0, col.length - 1) * SPACE);
    const top = 22;
    const height = top + Math.max(...colHeight, NODE) + 14;
    container.style.height = `${height}px`;
    svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "links");
    svg.setAttribute("width", String(width));
    svg.setAttribute("height", String(height));
    container.prepend(svg);
    const headText = structure.image ? t("network.inputImage") : t("network.features");
    const head = document.createElement("div");
    head.className = "column-head";
    head.textContent = headText;
    head.style.left = `${left + NODE / 2}px`;
    container.append(head);

    byDepth.forEach((col, d) => {
      const x = left + d * step;
      let y = top + (height - top - 14 - colHeight[d]) / 2;
      for (const item of col) {
        const points = [];
        if (item.label || item.kind !== "input") {
          const label = document.createElement("div");
          label.className = "column-head graph-head";
          label.textContent = item.output ? `${item.label} (${t("network.output")})` : item.label;
          label.style.top = `${y + HEAD - 2}px`; // its last line just above the node
          // Centred names take half a step each side, so that neighbouring columns' names never meet;
          // the last column's is set against the right edge, in the room left of it.
          label.style.maxWidth = `${Math.max(56, step - 12)}px`;
          if (d === depth && d > 0) Object.assign(label.style, { right: "0px", transform: "translateY(-100%)", textAlign: "right", maxWidth: `${Math.max(56, step / 2 + 18)}px` });
          else label.style.left = `${x + NODE / 2}px`;
          container.append(label);
        }
        let yy = y + HEAD;
        if (item.kind === "input") {
          item.features.forEach((name, i) => {
            const canvas = structure.plane && FEATURES[name] ? featureCanvas(name) : null;
            const el = node(x, yy, FEATURE_LABELS[name] ?? name, canvas);
            el.classList.add("feature");
            el.addEventListener("mouseenter", () => showPreview(el.querySelector("canvas"), el));
            el.addEventListener("mouseleave", hideTip);
            points.push({ x, y: yy, el, canvas, unit: i });
            yy += NODE + GAP;
          });
        } else {
          // A Dense node's units, or the units a merge or another layer gives (its map from its inputs').
          const shown = Math.min(item.units, MAX_SHOWN);
          if (item.kind !== "dense") {
            const badge = document.createElement("div");
            badge.className = `graph-badge ${item.kind === "merge" ? "merge-node" : "op-node"}`;
            badge.textContent = item.kind === "merge" ? item.symbol : item.type.slice(0, 4);
            badge.title = item.label;
            badge.dataset.testid = `${item.kind === "merge" ? "merge" : "gop"}-${item.name}`;
            badge.style.left = `${x - 22}px`;
            badge.style.top = `${yy + NODE / 2 - 10}px`;
            container.append(badge);
          }
          for (let u = 0; u < Math.max(1, shown); u++) {
            const canvas = document.createElement("canvas");
            const el = node(x, yy, "", canvas);
            if (item.kind !== "dense") el.classList.add(item.kind === "merge" ? "merge-unit" : "op-unit");
            el.dataset.testid = `unit-${item.name}-${u}`;
            el.addEventListener("mouseenter", () => {
              hovered = { graph: item.name, u, el };
              showPreview(canvas, el, graphUnitText(item, u));
            });
            el.addEventListener("mouseleave", hideTip);
            points.push({ x, y: yy, el, canvas, unit: u });
            yy += NODE + GAP;
          }
          if (item.units > shown) {
            const more = document.createElement("div");
            more.className = "more";
            more.textContent = t("network.more", { n: item.units - shown });
            more.style.left = `${x}px`;
            more.style.top = `${yy - GAP + 2}px`;
            container.append(more);
          }
        }
        graphUnits.set(item.name, { item, points });
        y += heightOf(item) + SPACE;
      }
    });

    // Edges: into a Dense node from each of its source's units, one line per weight (its kernel's
    // row a, column b: a merge's unit a is row a); into a merge or another layer, from the units
    // that make each of its units (Concatenate's in order, Add's unit i of every input to unit i).
    const addLine = (a, b, cls, from, to) => {
      // A skip line bows into the gaps between the rows, not straight behind the units it skips.
      const [x1, y1, x2, y2] = [a.x + NODE, a.y + NODE / 2, b.x, b.y + NODE / 2];
      const bow = (NODE + GAP) * 0.62;
      const d = cls.includes("edge-skip") ? `M${x1},${y1} C${x1 + (x2 - x1) / 3},${y1 - bow} ${x2 - (x2 - x1) / 3},${y2 - bow} ${x2},${y2}` : curve(x1, y1, x2, y2);
      const path = document.createElementNS(SVG, "path");
      path.setAttribute("d", d);
      path.setAttribute("class", cls);
      path.dataset.from = `${from}:${a.unit}`; // which unit feeds which (a weight line's row and column)
      path.dataset.to = `${to}:${b.unit}`;
      svg.append(path);
      return { d, path };
    };
    for (const item of items) {
      const target = graphUnits.get(item.name);
      if (!target) continue;
      if (item.kind !== "dense") {
        target.points.forEach((b) => {
          for (const [source, unit] of item.feeds?.[b.unit] ?? []) {
            const from = graphUnits.get(source);
            const a = from?.points.find((p) => p.unit === unit);
            if (a) addLine(a, b, `link edge${item.depth - from.item.depth > 1 ? " edge-skip" : ""}`, source, item.name);
          }
        });
        continue;
      }
      item.inputs.forEach((source) => {
        const from = graphUnits.get(source);
        if (!from) return;
        const skip = item.depth - from.item.depth > 1;
        const weighted = item.inputs.length === 1;
        for (const a of from.points) {
          for (const b of target.points) {
            const { d, path } = addLine(a, b, `link${skip ? " edge-skip" : ""}${weighted ? " weight" : " edge"}`, source, item.name);
            if (!weighted) continue;
            const hit = document.createElementNS(SVG, "path");
            hit.setAttribute("d", d);
            hit.setAttribute("class", "hit");
            const line = { layer: item.name, a: a.unit, b: b.unit, path };
            const fromName = from.item.kind === "input" ? FEATURE_LABELS[from.item.features[a.unit]] ?? from.item.features[a.unit] : `${source} ${t("network.unit", { index: a.unit + 1 })}`;
            hit.addEventListener("mousemove", (event) => {
              const w = weightsOf(line.layer)?.kernel?.[line.a]?.[line.b];
              const where = t("network.from", { a: fromName, b: `${item.name} ${t("network.unit", { index: line.b + 1 })}` });
              showTip(`${t("network.weight", { value: formatNumber(w) })}\n${where}`, event);
            });
            hit.addEventListener("mouseleave", hideTip);
            svg.append(hit);
            lines.push(line);
          }
        }
      });
    }
    if (frame) paintGraph();
  }

  const weightsOf = (name) => frame?.weights?.find((w) => w.layer === name);
  const mapOf = (item) => (item.output ? frame?.grid : frame?.neurons?.find((m) => m.layer === item.name));

  // Layers that pass their input on unchanged when the model answers (training=False).
  const IDENTITY = new Set(["Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "SpatialDropout1D", "ActivityRegularization"]);
  const COMBINE = {
    Add: (vs) => vs.reduce((a, b) => a + b, 0),
    Average: (vs) => vs.reduce((a, b) => a + b, 0) / vs.length,
    Subtract: (vs) => (vs.length === 2 ? vs[0] - vs[1] : NaN),
    Multiply: (vs) => vs.reduce((a, b) => a * b, 1),
  };

  /**
   * A merge's (or a pass-through layer's) unit maps, worked out from the maps of the units that make
   * them (the hidden Dense nodes' maps of the frame): the sum for Add, each input's own for Concatenate.
   */
  function paintMerges() {
    const values = new Map(); // node name -> {rows, cols, units: Float32Array[]}
    for (const { item } of graphUnits.values()) {
      if (item.kind !== "dense" || item.output) continue;
      const map = mapOf(item);
      if (!map) continue;
      const size = map.rows * map.cols;
      const units = [];
      for (let c = 0; c < map.channels; c++) units.push(Float32Array.from(map.bytes.subarray(c * size, (c + 1) * size), (b) => valueOf(map, b)));
      values.set(item.name, { rows: map.rows, cols: map.cols, units });
    }
    const order = [...graphUnits.values()].filter(({ item }) => item.kind === "merge" || item.kind === "op").sort((a, b) => a.item.depth - b.item.depth);
    for (const { item, points } of order) {
      const combine = item.kind === "merge" ? (item.type === "Concatenate" ? (vs) => vs[0] : COMBINE[item.type]) : IDENTITY.has(item.type) ? (vs) => vs[0] : null;
      if (!combine) continue;
      /** @type {{rows: number, cols: number} | null} */
      let found = null;
      const units = (item.feeds ?? []).map((feed) => {
        const parts = feed.map(([source, unit]) => values.get(source)?.units[unit]);
        if (!parts.length || parts.some((p) => !p)) return null;
        found ??= values.get(feed[0][0]);
        const out = new Float32Array(parts[0].length);
        for (let i = 0; i < out.length; i++) out[i] = combine(parts.map((p) => p[i]));
        return out;
      });
      if (!found || units.some((u) => !u)) continue;
      const shape = /** @type {{rows: number, cols: number}} */ (found);
      values.set(item.name, { rows: shape.rows, cols: shape.cols, units });
      let [lo, hi] = [Infinity, -Infinity];
      for (const u of units) for (const v of u) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
      if (!(hi > lo)) hi = lo + 1e-6;
      const size = shape.rows * shape.cols;
      const bytes = new Uint8Array(units.length * size);
      units.forEach((u, c) => u.forEach((v, i) => (bytes[c * size + i] = Math.round(((v - lo) / (hi - lo)) * 255))));
      const map = { channels: units.length, rows: shape.rows, cols: shape.cols, min: lo, max: hi, bytes };
      const table = byteTable(lo, hi, 0, Math.max(Math.abs(lo), Math.abs(hi)));
      for (const n of points) if (n.unit < map.channels) paintChannel(n.canvas, map, n.unit, table);
    }
  }

  function graphUnitText(item, unit) {
    const parts = [`${item.label} · ${t("network.unit", { index: unit + 1 })}`];
    const bias = weightsOf(item.name)?.bias;
    if (bias) parts.push(t("network.bias", { value: formatNumber(bias[unit]) }));
    return parts.join("\n");
  }

  /** A frame on a graph: each Dense node's unit maps by its layer's name (the output's from the grid), weights by name. */
  function paintGraph() {
    for (const { item, points } of graphUnits.values()) {
      if (item.kind !== "dense") continue;
      const map = mapOf(item);
      if (!map) continue;
      let table;
      if (item.output) {
        const centre = structure.task === "regression" ? (map.min + map.max) / 2 : 0.5;
        const half = structure.task === "regression" ? (map.max - map.min) / 2 : 0.5;
        table = byteTable(map.min, map.max, centre, half);
      } else table = byteTable(map.min, map.max, 0, Math.max(Math.abs(map.min), Math.abs(map.max)));
      for (const n of points) if (n.unit < map.channels) paintChannel(n.canvas, map, map.channels > 1 ? n.unit : 0, table);
    }
    paintMerges();
    for (const line of lines) {
      const w = weightsOf(line.layer)?.kernel?.[line.a]?.[line.b];
      if (w === undefined || w === null) continue;
      const m = Math.min(1, Math.abs(w));
      line.path.style.stroke = css(w >= 0 ? BLUE : ORANGE, 0.3 + 0.7 * m);
      line.path.style.strokeWidth = String(Math.min(7, 0.6 + Math.abs(w) * 2));
    }
    if (hovered?.graph) {
      const item = graphUnits.get(hovered.graph)?.item;
      if (item) showPreview(hovered.el.querySelector("canvas"), hovered.el, graphUnitText(item, hovered.u));
    }
  }

  function paint() {
    if (!structure || !frame) return;
    if (structure.graph) return paintGraph();
    // Unit maps: hidden layers from `neurons`, the output layer from the grid.
    structure.layers.forEach((layer, j) => {
      const isOutput = j === structure.layers.length - 1;
      const map = isOutput ? frame.grid : frame.neurons[j];
      const col = columns[j + 1];
      if (!map || !col) return;
      let table;
      if (isOutput) {
        const centre = structure.task === "regression" ? (map.min + map.max) / 2 : 0.5;
        const half = structure.task === "regression" ? (map.max - map.min) / 2 : 0.5;
        table = byteTable(map.min, map.max, centre, half);
      } else {
        table = byteTable(map.min, map.max, 0, Math.max(Math.abs(map.min), Math.abs(map.max)));
      }
      for (const n of col.nodes) if (n.unit < map.channels) paintChannel(n.canvas, map, map.channels > 1 ? n.unit : 0, table);
    });
    // Links: width and colour from the weights.
    for (const line of lines) {
      const w = frame.weights?.[line.j]?.kernel?.[line.a]?.[line.b];
      if (w === undefined || w === null) continue;
      const m = Math.min(1, Math.abs(w));
      line.path.style.stroke = css(w >= 0 ? BLUE : ORANGE, 0.3 + 0.7 * m);
      line.path.style.strokeWidth = String(Math.min(7, 0.6 + Math.abs(w) * 2));
    }
    if (hovered) showPreview(hovered.el.querySelector("canvas"), hovered.el, unitText(hovered.c, hovered.u));
  }

  new ResizeObserver(() => layout()).observe(container);

  onLanguage(layout); // redrawn in a new language by itself
  return {
    /** The network's shape: which features, which Dense layers (redraws everything). */
    setStructure(next) {
      structure = next;
      frame = null;
      layout();
    },
    /** Draw a frame's decoded unit maps ({neurons, grid, weights}). */
    draw(decoded) {
      frame = decoded;
      paint();
    },
    clear() {
      frame = null;
      layout();
    },
    /** An image model's picture and feature maps for its nodes (null: grey again). */
    showImages(next) {
      images = next;
      if (next) paintImages();
      else layout();
    },
    relabel: layout,
  };
}
