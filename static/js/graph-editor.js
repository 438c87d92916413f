// The graph editor (Keras's functional API), beside the stack: an advanced view one click away
// that starts from the stack as a chain. Drawflow (npm, MIT) draws the nodes and the edges and
// lets the mouse drag layers in and connect an output to an input; the inspector beside it does
// the same from the keyboard (add a layer after the selected node, connect it to a node chosen
// from a list, take an edge away, delete with the Delete key) and edits a node's layer in the
// stack's own parameter form. The store holds the graph in the spec's shape (graph-model.js);
// the canvas is redrawn from it whenever it changes.

import { renderErrors } from "./errors.js";
import { describe, onLanguage, t } from "./i18n.js";
import { buildParamForm } from "./param-form.js";
import { chainFrom, chainLayers, chainOrder, depths, freshName, isMerge, MERGE_SYMBOLS, MERGES, sinks, whyNotChain } from "./graph-model.js";

const HEADLINE = ["units", "rate", "activation"];
const LAYERS = ["Dense", "Dropout", "Activation", "BatchNormalization", "LayerNormalization", "GaussianNoise"];
const DRAWFLOW = "/static/node_modules/drawflow/dist";

/** Drawflow's UMD build as a module (it sets self.Drawflow), and its style sheet, on first use. */
async function loadDrawflow() {
  if (!window.Drawflow) {
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = `${DRAWFLOW}/drawflow.min.css`;
    document.head.append(link);
    await import(`${DRAWFLOW}/drawflow.min.js`);
  }
  return window.Drawflow;
}

function headline(layer, entry) {
  const parts = [];
  for (const name of HEADLINE) {
    const value = layer[name] ?? entry?.params.find((p) => p.name === name)?.default;
    if (value !== null && value !== undefined) parts.push(String(value));
  }
  return parts.join(" · ");
}

const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

export function createGraphEditor({ store, catalog, body, stackBox, announce, featureNames }) {
  const entries = new Map(catalog.layers.map((e) => [e.name, e]));
  const entryOf = (type) => entries.get(type) ?? { name: type, params: [], description: "" };
  const types = [...LAYERS.filter((n) => entries.has(n)), ...MERGES];

  function newLayer(type) {
    const layer = { type };
    for (const p of entryOf(type).params) if (p.required && p.default !== null) layer[p.name] = structuredClone(p.default);
    if (type === "Dense") Object.assign(layer, { units: 4, activation: "tanh" });
    return layer;
  }

  // --- the page's parts -----------------------------------------------------------------------
  const open = el("button", { type: "button", className: "palette-more graph-open" });
  open.dataset.testid = "graph-open";
  stackBox.append(open);

  const box = el("div", { className: "graph-box", id: "graph-box", hidden: true });
  box.dataset.testid = "graph-editor";
  const title = el("h3");
  const toStack = el("button", { type: "button", className: "secondary" });
  toStack.dataset.testid = "graph-to-stack";
  const why = el("p", { className: "message warning graph-why", hidden: true });
  why.dataset.testid = "graph-why";
  why.setAttribute("role", "status");
  const hint = el("p", { className: "hint" });
  const palette = el("div", { className: "palette graph-palette", id: "graph-palette" });
  palette.setAttribute("role", "toolbar");
  const canvas = el("div", { className: "graph-canvas" });
  canvas.dataset.testid = "graph-canvas";
  canvas.setAttribute("role", "group");
  // Fit, zoom in, zoom out: the canvas's view from the keyboard too (Drawflow zooms by Ctrl+wheel only).
  const viewButton = (testid) => {
    const b = el("button", { type: "button", className: "secondary graph-view-button" });
    b.dataset.testid = testid;
    return b;
  };
  const fitButton = viewButton("graph-fit");
  const zoomIn = viewButton("graph-zoom-in");
  const zoomOut = viewButton("graph-zoom-out");
  const views = el("div", { className: "graph-row graph-views" }, fitButton, zoomOut, zoomIn);
  const inspector = el("div", { className: "graph-inspector" });
  inspector.dataset.testid = "graph-inspector";
  inspector.setAttribute("aria-live", "polite");
  const slot = el("div", { className: "error-slot" });
  slot.dataset.errorSlot = "graph";
  // Several inputs (the functional API's keras.Input each): each takes some of the data's features.
  const addInput = el("button", { type: "button", className: "secondary" });
  addInput.dataset.testid = "graph-add-input";
  addInput.addEventListener("click", () => {
    const taken = new Set([...graph().inputs.map((i) => i.name), ...graph().nodes.map((n) => n.name)]);
    const name = freshName("input", taken);
    change((g) => {
      const all = featureNames();
      if (g.inputs.length === 1 && !g.inputs[0].features) g.inputs[0].features = all.slice(0, Math.max(1, all.length - 1));
      g.inputs.push({ name, features: all.slice(-1) });
    }, t("graph.added", { name, type: "Input" }));
    selected = name;
    renderInspector();
    setTimeout(() => focusNode(name), 0);
  });
  box.append(el("div", { className: "graph-top" }, title, el("div", { className: "graph-row" }, addInput, toStack)), hint, palette, why, el("div", { className: "graph-main" }, el("div", { className: "graph-stage" }, views, canvas), inspector), slot);
  stackBox.after(box);

  let editor = null; // Drawflow, once the view is first opened
  let loading = null; // Drawflow's module while it loads
  let building = false; // the canvas is being redrawn from the store: its events are not edits
  let shown = ""; // the graph the canvas shows, as JSON
  let selected = null; // the selected node's name
  const positions = new Map(); // name -> [x, y] on the canvas (a node dragged stays where it was put)
  let mine = ""; // the graph as this editor last made it, as JSON: any other graph was loaded (a lesson, a run, a link)
  let needFit = true; // fit the canvas's view to the graph at the next redraw (a graph opened or loaded)
  let fitted = false; // the view is the fitted one (it follows the canvas's size until the student zooms or pans)
  const ids = new Map(); // name -> Drawflow id
  const names = new Map(); // Drawflow id (string) -> name

  const graph = () => store.get().graph;
  const active = () => store.get().modelView === "graph";

  /** Change the store's graph; a graph that is a chain keeps the stack's layers the same. */
  function change(edit, message = "") {
    store.update((d) => {
      edit(d.graph);
      const ends = sinks(d.graph);
      if (!ends.includes(d.graph.outputs[0])) d.graph.outputs = ends.length ? [ends[ends.length - 1]] : [];
      const layers = chainLayers(d.graph);
      if (layers) d.layers = layers;
      if (d.graphLayout) d.graphLayout = layoutOf(d.graph);
    });
    mine = JSON.stringify(graph());
    if (message) announce(message);
  }

  // --- the view -------------------------------------------------------------------------------
  async function show() {
    why.hidden = true;
    store.update((d) => {
      // A chain (or none) starts again from the stack as it is now; a graph with branches is kept.
      if (!d.graph || chainOrder(d.graph)) {
        d.graph = chainFrom(d.layers);
        d.graphLayout = null;
      }
      d.modelView = "graph";
    });
    needFit = true;
  }

  function backToStack() {
    const layers = chainLayers(graph());
    if (!layers) {
      why.textContent = `${t("graph.cannotStack")} ${t(whyNotChain(graph()))}`;
      why.hidden = false;
      return;
    }
    why.hidden = true;
    store.update((d) => {
      d.layers = layers;
      d.modelView = "stack";
    });
    stackBox.querySelector("button")?.focus();
  }
  open.addEventListener("click", show);
  fitButton.addEventListener("click", fit);
  zoomIn.addEventListener("click", () => zoomBy(1.25));
  zoomOut.addEventListener("click", () => zoomBy(0.8));
  toStack.addEventListener("click", backToStack);

  const STEP_X = 166; // a column of the automatic layout (a node is 122 px wide: 44 px of line between two)
  const STEP_Y = 96; // a row
  const NODE_W = 122;
  const NODE_H = 64;

  /**
   * Where each node without a place goes: its column by depth, its row by its place among the
   * nodes of that depth (a merge a row lower, so that the skip line into it is not hidden behind the
   * nodes it skips). A graph wider than the canvas wraps its columns into bands, one under another,
   * so that the fitted view stays large enough to read from the back of a classroom.
   */
  function placeAll() {
    const g = graph();
    const all = [...g.inputs.map((i) => i.name), ...g.nodes.map((n) => n.name)];
    const missing = all.filter((n) => !positions.has(n));
    if (!missing.length) return;
    const depth = depths(g);
    const row = new Map();
    for (const name of all) {
      const d = depth.get(name) ?? 0;
      const same = all.filter((n) => (depth.get(n) ?? 0) === d);
      const merge = isMerge(g.nodes.find((n) => n.name === name)?.layer.type);
      row.set(name, Math.max(0, same.indexOf(name)) + (merge ? 1 : 0));
    }
    const columns = 1 + Math.max(0, ...all.map((n) => depth.get(n) ?? 0));
    const width = Math.max(320, canvas.clientWidth || 640) - 32;
    const height = Math.max(240, canvas.clientHeight || 380) - 32;
    const bandOf = (per) => {
      const rows = [];
      for (const name of all) {
        const b = Math.floor((depth.get(name) ?? 0) / per);
        rows[b] = Math.max(rows[b] ?? 0, row.get(name) + 1);
      }
      const tops = [0];
      for (let b = 1; b < rows.length; b++) tops[b] = tops[b - 1] + (rows[b - 1] ?? 1) * STEP_Y + 40;
      const tall = tops[rows.length - 1] + (rows[rows.length - 1] ?? 1) * STEP_Y;
      // The lines back to the next band run beside the nodes (about 30 px each side).
      const zoom = Math.min(FIT_MAX, width / ((per - 1) * STEP_X + NODE_W + (per < columns ? 60 : 0)), height / tall);
      return { per, tops, zoom };
    };
    // As many columns a band as reads best (the largest zoom), fewer than three never.
    let best = bandOf(columns);
    if (!positions.size) for (let per = columns - 1; per >= 3; per--) {
      const next = bandOf(per);
      if (next.zoom > best.zoom + 0.04) best = next;
    }
    if (missing.length === all.length) bands = best.tops.slice(1).map((t) => 16 + t);
    for (const name of missing) {
      const d = depth.get(name) ?? 0;
      const b = Math.floor(d / best.per);
      positions.set(name, free([16 + (d % best.per) * STEP_X, 16 + best.tops[b] + row.get(name) * STEP_Y], name));
    }
  }

  let bands = []; // the automatic layout's bands' tops after the first (the gaps lines run in)
  const place = (name) => positions.get(name) ?? [16, 16];

  /** The first place at or below [x, y] where a node would not cover another. */
  function free([x, y], self = "") {
    const taken = [...positions].filter(([n]) => n !== self).map(([, p]) => p);
    while (taken.some(([a, b]) => Math.abs(a - x) < NODE_W + 8 && Math.abs(b - y) < NODE_H + 8)) y += STEP_Y;
    return [x, y];
  }

  /** The positions of the graph's nodes, for the address ({name: [x, y]}). */
  function layoutOf(g) {
    const out = {};
    for (const name of [...g.inputs.map((i) => i.name), ...g.nodes.map((n) => n.name)]) {
      const at = positions.get(name);
      if (at) out[name] = [Math.round(at[0]), Math.round(at[1])];
    }
    return out;
  }

  /** The saved layout's places (a link's: each a pair of numbers) for the graph's nodes, instead of the ones kept. */
  function takeLayout() {
    positions.clear();
    bands = [];
    const layout = store.get().graphLayout;
    if (!layout || typeof layout !== "object") return;
    for (const [name, at] of Object.entries(layout)) {
      if (Array.isArray(at) && at.length === 2 && at.every((v) => Number.isFinite(v))) positions.set(name, [at[0], at[1]]);
    }
  }

  // --- the canvas's view: fit, zoom, follow the focus -------------------------------------------
  const ZOOM_MIN = 0.3;
  const ZOOM_MAX = 1.6;
  const FIT_MAX = 1.25; // a small graph is fitted a little larger than itself (the back of the room)

  /** Drawflow's view (its own zoom and pan, the origin at the top left, see the style sheet). */
  function setView(zoom, x, y) {
    if (!editor) return;
    Object.assign(editor, { zoom, zoom_last_value: zoom, canvas_x: x, canvas_y: y });
    editor.precanvas.style.transform = `translate(${x}px, ${y}px) scale(${zoom})`;
    canvas.dataset.zoom = zoom.toFixed(3);
  }

  /** The nodes' box on the canvas, unzoomed. */
  function extent() {
    const all = boxes();
    if (!all.length) return null;
    // The lines too: one round the nodes or back to the next band runs beside them.
    for (const path of canvas.querySelectorAll(".connection .main-path")) {
      const b = /** @type {SVGGraphicsElement} */ (path).getBBox();
      if (b.width || b.height) all.push([b.x - 3, b.x + b.width + 3, b.y - 3, b.y + b.height + 3]);
    }
    const [left, right] = [Math.min(...all.map((b) => b[0])), Math.max(...all.map((b) => b[1]))];
    const [top, bottom] = [Math.min(...all.map((b) => b[2])), Math.max(...all.map((b) => b[3]))];
    return { left, top, width: right - left, height: bottom - top };
  }

  /** The whole graph in the canvas, as large as fits (at most FIT_MAX), centred. */
  function fit() {
    const box = extent();
    if (!editor || !box || !canvas.clientWidth) return;
    const m = 12 + 10; // the margin, and the ports standing out of the nodes
    const zoom = Math.max(ZOOM_MIN, Math.min(FIT_MAX, (canvas.clientWidth - 2 * m) / box.width, (canvas.clientHeight - 2 * m) / box.height));
    setView(zoom, (canvas.clientWidth - box.width * zoom) / 2 - box.left * zoom, (canvas.clientHeight - box.height * zoom) / 2 - box.top * zoom);
    fitted = true;
    needFit = false;
  }

  /** Zoom by `factor` about the canvas's centre. */
  function zoomBy(factor) {
    if (!editor) return;
    const zoom = Math.max(ZOOM_MIN, Math.min(ZOOM_MAX, editor.zoom * factor));
    const [cx, cy] = [canvas.clientWidth / 2, canvas.clientHeight / 2];
    const k = zoom / editor.zoom;
    setView(zoom, cx - (cx - editor.canvas_x) * k, cy - (cy - editor.canvas_y) * k);
    fitted = false;
  }

  /** Pan so that the node (focused from the keyboard) is in view. */
  function reveal(name) {
    const div = canvas.querySelector(`.gnode[data-name="${CSS.escape(name)}"]`)?.closest(".drawflow-node");
    if (!editor || !div) return;
    const [c, n] = [canvas.getBoundingClientRect(), div.getBoundingClientRect()];
    const pad = 24;
    let dx = 0;
    let dy = 0;
    if (n.left < c.left + pad) dx = c.left + pad - n.left;
    else if (n.right > c.right - pad) dx = c.right - pad - n.right;
    if (n.top < c.top + pad) dy = c.top + pad - n.top;
    else if (n.bottom > c.bottom - pad) dy = c.bottom - pad - n.bottom;
    if (dx || dy) setView(editor.zoom, editor.canvas_x + dx, editor.canvas_y + dy);
  }

  /** The nodes' boxes on the canvas, unzoomed: [left, right, top, bottom]. */
  const boxes = () => [...canvas.querySelectorAll(".drawflow-node")].map((n) => {
    const b = /** @type {HTMLElement} */ (n);
    return [b.offsetLeft, b.offsetLeft + b.offsetWidth, b.offsetTop, b.offsetTop + b.offsetHeight];
  });

  /**
   * A line that skips columns goes round the nodes between its ends (below them), not under them;
   * a line back to the start of the next band (a wrapped layout) runs in the gap above that band;
   * every other line is Drawflow's own curve.
   */
  function route(sx, sy, ex, ey) {
    const g = 20; // the vertical runs keep to the middle of the gap between two columns
    if (ex < sx - 8) {
      // Back to the left: down into the gap over the input's band, along it, down into the input.
      // The lane is over the input's band of the automatic layout (nodes moved by hand: Drawflow's curve).
      const top = bands.filter((b) => b <= ey && b > sy).pop();
      if (top === undefined) return null;
      const lane = top - 12 - (Math.round(sx / STEP_X) % 3) * 9; // lines from different columns apart
      return rounded([[sx, sy], [sx + g, sy], [sx + g, lane], [ex - g, lane], [ex - g, ey], [ex, ey]]);
    }
    if (ex - sx < STEP_X + 20) return null;
    const low = Math.min(sy, ey);
    const high = Math.max(sy, ey) + NODE_H;
    let lane = -Infinity;
    for (const [l, rr, t, u] of boxes()) if (rr > sx + 12 && l < ex - 12 && u > low - 4 && t < high) lane = Math.max(lane, u + 14);
    if (lane === -Infinity) return null; // nothing in the way
    return rounded([[sx, sy], [sx + g, sy], [sx + g, lane], [ex - g, lane], [ex - g, ey], [ex, ey]]);
  }

  /** A path through `points` with rounded corners. */
  function rounded(points) {
    const r = 8;
    let d = ` M ${points[0][0]} ${points[0][1]}`;
    for (let i = 1; i < points.length - 1; i++) {
      const [[ax, ay], [bx, by], [cx, cy]] = [points[i - 1], points[i], points[i + 1]];
      const into = Math.min(r, Math.hypot(bx - ax, by - ay) / 2);
      const out = Math.min(r, Math.hypot(cx - bx, cy - by) / 2);
      const unit = (dx, dy) => [dx / (Math.hypot(dx, dy) || 1), dy / (Math.hypot(dx, dy) || 1)];
      const [ux, uy] = unit(bx - ax, by - ay);
      const [vx, vy] = unit(cx - bx, cy - by);
      d += ` L ${bx - ux * into} ${by - uy * into} Q ${bx} ${by} ${bx + vx * out} ${by + vy * out}`;
    }
    const [lx, ly] = points[points.length - 1];
    return `${d} L ${lx} ${ly}`;
  }

  function nodeHtml(name, type, info, index, output) {
    // Every value is escaped: a graph may come from a link.
    const slots = index === null ? "" : `<div class="error-slot" data-error-slot="graph-node-${index}"></div>`;
    const out = output ? `<span class="gnode-out">${escape(t("graph.output"))}</span>` : "";
    const [n, k] = [escape(name), escape(type)];
    return `<div class="gnode" tabindex="0" data-name="${n}" data-testid="gnode-${n}">`
      + `<span class="gnode-name">${n}</span><span class="gnode-type">${k}</span>`
      + `<span class="gnode-info">${escape(info)}</span>${out}${slots}</div>`;
  }

  /** Redraw soon (after Drawflow's own event has finished); the canvas says so meanwhile (data-pending). */
  function later() {
    canvas.dataset.pending = "true";
    setTimeout(draw, 0);
  }

  /** Redraw the canvas from the store's graph. */
  function draw() {
    if (!editor || !active()) return void delete canvas.dataset.pending;
    const g = graph();
    building = true;
    editor.clear();
    ids.clear();
    names.clear();
    const chain = chainOrder(g);
    placeAll();
    for (const input of g.inputs) {
      const [x, y] = place(input.name);
      const id = editor.addNode(input.name, 0, 1, x, y, "ginput", { name: input.name }, nodeHtml(input.name, "Input", input.features?.join(", ") ?? t("graph.allFeatures"), null, false));
      ids.set(input.name, id);
      names.set(String(id), input.name);
    }
    g.nodes.forEach((node, index) => {
      const [x, y] = place(node.name);
      const type = node.layer.type;
      const info = isMerge(type) ? MERGE_SYMBOLS[type] : headline(node.layer, entryOf(type));
      const cls = isMerge(type) ? "gmerge" : "glayer";
      const id = editor.addNode(node.name, 1, 1, x, y, cls, { name: node.name }, nodeHtml(node.name, type, info, index, g.outputs.includes(node.name)));
      ids.set(node.name, id);
      names.set(String(id), node.name);
      // In a chain the server's messages name model.layers[i] (the spec sends the stack).
      if (chain) canvas.querySelector(`#node-${id} .gnode`)?.insertAdjacentHTML("beforeend", `<div class="error-slot" data-error-slot="layer-${chain.indexOf(node)}"></div>`);
    });
    for (const node of g.nodes) for (const source of node.inputs) if (ids.has(source)) editor.addConnection(ids.get(source), ids.get(node.name), "output_1", "input_1");
    building = false;
    shown = JSON.stringify(g);
    delete canvas.dataset.pending;
    for (const div of canvas.querySelectorAll(".gnode")) wireNode(/** @type {HTMLElement} */ (div));
    markSelected();
    renderErrors();
    if (needFit) fit();
  }

  function wireNode(div) {
    const name = div.dataset.name;
    const input = graph().inputs.some((i) => i.name === name);
    div.setAttribute("role", "button");
    div.setAttribute("aria-label", t("graph.nodeLabel", { name, type: div.querySelector(".gnode-type")?.textContent ?? "" }));
    div.addEventListener("focus", () => {
      select(name, false);
      reveal(name);
    });
    div.addEventListener("keydown", (event) => {
      if ((event.key === "Delete" || event.key === "Backspace") && (!input || graph().inputs.length > 1)) {
        event.preventDefault();
        event.stopPropagation(); // Drawflow's own Delete would remove it a second time
        removeNode(name);
      } else if (event.key.startsWith("Arrow")) {
        // Arrows walk the graph: → to a node it feeds, ← to one it takes, ↑ ↓ through the list.
        const g = graph();
        const all = [...g.inputs.map((i) => i.name), ...g.nodes.map((n) => n.name)];
        const here = all.indexOf(name);
        const next = {
          ArrowRight: g.nodes.find((n) => n.inputs.includes(name))?.name,
          ArrowLeft: g.nodes.find((n) => n.name === name)?.inputs[0],
          ArrowDown: all[here + 1],
          ArrowUp: all[here - 1],
        }[event.key];
        if (next) {
          event.preventDefault();
          select(next);
        }
      } else if (event.key === "Enter") {
        event.preventDefault();
        select(name, false);
        inspector.querySelector("select, input, button")?.focus();
      }
    });
  }

  function markSelected() {
    for (const div of canvas.querySelectorAll(".drawflow-node")) div.classList.toggle("chosen", names.get(div.id.slice(5)) === selected);
  }

  function select(name, focus = true) {
    if (selected === name) return;
    selected = name;
    markSelected();
    renderInspector();
    if (focus) focusNode(name);
  }

  function focusNode(name) {
    /** @type {HTMLElement | null} */ (canvas.querySelector(`.gnode[data-name="${CSS.escape(name)}"]`))?.focus({ preventScroll: true });
  }

  // --- edits ----------------------------------------------------------------------------------
  /** A new node of `type`: after the selected node (taking it, and given to the nodes that took it), or alone. */
  function addNode(type, { after = selected, at = null } = {}) {
    const taken = new Set([...graph().inputs.map((i) => i.name), ...graph().nodes.map((n) => n.name)]);
    const name = freshName(type, taken);
    if (at) positions.set(name, at);
    else if (after && positions.has(after)) {
      const [x, y] = positions.get(after);
      positions.set(name, free([x + 60, y + 110]));
    }
    change((g) => {
      const node = { name, layer: newLayer(type), inputs: after ? [after] : [] };
      if (after) for (const other of g.nodes) other.inputs = other.inputs.map((s) => (s === after ? name : s));
      g.nodes.push(node);
    }, t("graph.added", { name, type }));
    selected = name;
    renderInspector();
    setTimeout(() => focusNode(name), 0);
  }

  function removeInput(name) {
    change((g) => {
      g.inputs = g.inputs.filter((i) => i.name !== name);
      if (g.inputs.length === 1) delete g.inputs[0].features; // one input takes every feature
      for (const node of g.nodes) node.inputs = node.inputs.filter((s) => s !== name);
    }, t("graph.removed", { name }));
    positions.delete(name);
    selected = null;
    select(graph().inputs[0].name, false);
    setTimeout(() => focusNode(graph().inputs[0].name), 0);
  }

  function removeNode(name) {
    if (graph().inputs.some((i) => i.name === name)) return graph().inputs.length > 1 && removeInput(name);
    const g = graph();
    const node = g.nodes.find((n) => n.name === name);
    if (!node) return;
    const index = g.nodes.indexOf(node);
    change((d) => {
      d.nodes = d.nodes.filter((n) => n.name !== name);
      // The nodes that took it take what it took (one input only), so a chain stays a chain.
      for (const other of d.nodes) other.inputs = other.inputs.flatMap((s) => (s === name ? (node.inputs.length === 1 ? node.inputs : []) : [s]));
    }, t("graph.removed", { name }));
    positions.delete(name);
    const next = g.nodes[index - 1]?.name ?? g.inputs[0].name;
    selected = null;
    select(next, false);
    setTimeout(() => focusNode(next), 0);
  }

  function connect(source, target) {
    const node = graph().nodes.find((n) => n.name === target);
    if (!node || source === target || node.inputs.includes(source)) return;
    change((g) => g.nodes.find((n) => n.name === target).inputs.push(source), t("graph.connected", { a: source, b: target }));
  }

  function disconnect(source, target) {
    change((g) => {
      const node = g.nodes.find((n) => n.name === target);
      if (node) node.inputs = node.inputs.filter((s) => s !== source);
    }, t("graph.disconnected", { a: source, b: target }));
  }

  // --- the inspector (the keyboard's way to everything) ---------------------------------------
  function renderInspector() {
    inspector.replaceChildren();
    const g = graph();
    if (!g) return;
    const node = g.nodes.find((n) => n.name === selected);
    const input = g.inputs.find((i) => i.name === selected);
    if (!node && !input) {
      inspector.append(el("p", { className: "hint", textContent: t("graph.pickNode") }));
      return;
    }
    const type = node ? node.layer.type : "Input";
    inspector.append(el("h4", { textContent: `${selected} (${type})` }));
    if (node) {
      // What it takes: each edge can be taken away.
      const list = el("ul", { className: "graph-edges" });
      list.dataset.testid = "graph-inputs";
      for (const source of node.inputs) {
        const remove = el("button", { type: "button", className: "icon", textContent: "✕" });
        remove.setAttribute("aria-label", t("graph.disconnect", { a: source, b: node.name }));
        remove.title = remove.getAttribute("aria-label");
        remove.dataset.testid = `graph-disconnect-${source}`;
        remove.addEventListener("click", () => disconnect(source, node.name));
        list.append(el("li", {}, el("span", { textContent: `← ${source}` }), remove));
      }
      if (!node.inputs.length) list.append(el("li", { className: "hint", textContent: t("graph.noInputs") }));
      inspector.append(el("div", { className: "graph-field" }, el("span", { className: "graph-label", textContent: t("graph.takes") }), list));
    }
    // Connect its output to another node's input, chosen from a list.
    const targets = g.nodes.filter((n) => n.name !== selected && !n.inputs.includes(selected));
    if (targets.length) {
      const choose = el("select", { id: "graph-connect-target" });
      choose.dataset.testid = "graph-connect-target";
      for (const n of targets) choose.append(new Option(`${n.name} (${n.layer.type})`, n.name));
      const go = el("button", { type: "button", className: "secondary", textContent: t("graph.connect") });
      go.dataset.testid = "graph-connect";
      go.addEventListener("click", () => connect(selected, choose.value));
      inspector.append(el("div", { className: "graph-field" }, el("label", { htmlFor: "graph-connect-target", className: "graph-label", textContent: t("graph.connectTo") }), el("div", { className: "graph-row" }, choose, go)));
    }
    if (input && g.inputs.length > 1) {
      // Which of the data's features this input takes (each feature goes to one input).
      const set = el("fieldset", { className: "graph-features" });
      set.dataset.testid = "graph-input-features";
      set.append(el("legend", { textContent: t("graph.features") }));
      for (const feature of featureNames()) {
        const box = el("input", { type: "checkbox", checked: (input.features ?? []).includes(feature) });
        box.dataset.feature = feature;
        box.addEventListener("change", () => {
          change((d) => {
            const entry = d.inputs.find((i) => i.name === input.name);
            const chosen = new Set(entry.features ?? []);
            if (box.checked) chosen.add(feature);
            else chosen.delete(feature);
            entry.features = featureNames().filter((f) => chosen.has(f));
          });
          setTimeout(() => /** @type {HTMLElement | null} */ (inspector.querySelector(`[data-feature="${CSS.escape(feature)}"]`))?.focus(), 0);
        });
        set.append(el("label", { className: "graph-feature" }, box, ` ${feature}`));
      }
      inspector.append(set);
      const del = el("button", { type: "button", className: "secondary danger", textContent: t("graph.deleteInput") });
      del.dataset.testid = "graph-delete";
      del.addEventListener("click", () => removeInput(input.name));
      inspector.append(del);
    }
    if (node) {
      const entry = entryOf(node.layer.type);
      const form = buildParamForm(entry.params, node.layer, (param, value) => {
        change((d) => {
          const layer = d.nodes.find((n) => n.name === node.name).layer;
          if (value === undefined) delete layer[param];
          else layer[param] = value;
        });
        setTimeout(() => /** @type {HTMLElement | null} */ (inspector.querySelector(`[data-param="${param}"] :is(input, select)`))?.focus(), 0);
      }, catalog, { skip: ["name"] });
      form.classList.add("layer-form");
      const text = describe("layers", entry);
      if (text) form.prepend(el("p", { className: "hint", textContent: text }));
      inspector.append(form);
      const del = el("button", { type: "button", className: "secondary danger", textContent: t("graph.delete") });
      del.dataset.testid = "graph-delete";
      del.addEventListener("click", () => removeNode(node.name));
      inspector.append(del);
    }
  }

  function renderPalette() {
    palette.replaceChildren();
    for (const type of types) {
      const item = el("button", { type: "button", className: `palette-item${isMerge(type) ? " merge" : ""}`, draggable: true, textContent: isMerge(type) ? `${MERGE_SYMBOLS[type]} ${type}` : type });
      item.dataset.testid = `graph-palette-${type}`;
      item.dataset.type = type;
      item.title = describe("layers", entryOf(type)) || t("graph.paletteItem");
      item.addEventListener("click", () => addNode(type));
      item.addEventListener("dragstart", (event) => event.dataTransfer?.setData("text/plain", type));
      palette.append(item);
    }
  }

  // The canvas pans by Drawflow's own dragging: a focused node must not scroll it out of place.
  canvas.addEventListener("scroll", () => {
    canvas.scrollLeft = 0;
    canvas.scrollTop = 0;
  });

  // Drawflow keeps the focus where it was when a line is pressed: the canvas takes it, so that
  // Delete (Drawflow's, on the canvas) removes the selected line.
  canvas.addEventListener("mouseup", (event) => {
    if (/** @type {Element} */ (event.target).closest?.(".connection")) canvas.focus({ preventScroll: true });
  });

  // A layer dropped on the canvas stands alone where it was dropped, to be connected by the mouse.
  canvas.addEventListener("dragover", (event) => event.preventDefault());
  canvas.addEventListener("drop", (event) => {
    event.preventDefault();
    const type = event.dataTransfer?.getData("text/plain");
    if (!type || !types.includes(type) || !editor) return;
    const inner = /** @type {HTMLElement} */ (canvas.querySelector(".drawflow"));
    const box = inner.getBoundingClientRect();
    const zoom = editor.zoom || 1;
    addNode(type, { after: null, at: [(event.clientX - box.left) / zoom - 60, (event.clientY - box.top) / zoom - 24] });
  });

  function renderTexts() {
    open.textContent = t("graph.open");
    addInput.textContent = t("graph.addInput");
    title.textContent = t("graph.heading");
    toStack.textContent = t("graph.toStack");
    hint.textContent = t("graph.hint");
    canvas.setAttribute("aria-label", t("graph.canvas"));
    fitButton.textContent = t("graph.fit");
    fitButton.title = t("graph.fitHint");
    for (const [button, key] of [[zoomIn, "graph.zoomIn"], [zoomOut, "graph.zoomOut"]]) {
      button.textContent = key === "graph.zoomIn" ? "+" : "−";
      button.setAttribute("aria-label", t(key));
      button.title = t(key);
    }
    renderPalette();
    renderInspector();
    if (!why.hidden) why.textContent = `${t("graph.cannotStack")} ${t(whyNotChain(graph()))}`;
  }

  async function follow() {
    const on = active() && Boolean(graph());
    // By class, not `hidden`: the class's rules set the hidden of the page's [data-control] parts.
    box.hidden = !on;
    body.closest("section")?.classList.toggle("graph-mode", on);
    if (!on) return;
    if (!editor) {
      // One editor, however many times this is called while Drawflow loads.
      loading ??= loadDrawflow();
      const Drawflow = await loading;
      if (!editor) start(Drawflow);
    }
    const now = JSON.stringify(graph());
    if (now !== mine && now !== shown) {
      // Another graph (a lesson, a run, a link, the stack opened as a chain): its own layout, fitted.
      takeLayout();
      needFit = true;
      mine = now;
      if (!graph().nodes.some((n) => n.name === selected) && !graph().inputs.some((i) => i.name === selected)) selected = null;
    }
    if (!selected) selected = graph().nodes[0]?.name ?? null;
    if (now !== shown || needFit) later();
    renderInspector();
  }

  /** Drawflow on the canvas; its edits (not its redraws from the store) change the store. */
  function start(Drawflow) {
    editor = new Drawflow(canvas);
    editor.reroute = false;
    editor.start();
    const edit = (fn) => (value) => !building && fn(value);
    editor.on("connectionCreated", edit(({ output_id: a, input_id: b }) => connect(names.get(String(a)), names.get(String(b)))));
    editor.on("connectionRemoved", edit(({ output_id: a, input_id: b }) => disconnect(names.get(String(a)), names.get(String(b)))));
    editor.on("nodeRemoved", edit((id) => {
      const name = names.get(String(id));
      if (graph().nodes.some((n) => n.name === name)) removeNode(name);
      else later(); // an input stays
    }));
    editor.on("nodeMoved", edit((id) => {
      // Where the node is drawn (Drawflow's own pos_x counts the last step of the drag twice).
      const div = /** @type {HTMLElement | null} */ (canvas.querySelector(`#node-${id}`));
      const node = editor.getNodeFromId(id);
      positions.set(names.get(String(id)), div ? [parseFloat(div.style.left), parseFloat(div.style.top)] : [node.pos_x, node.pos_y]);
      // The layout goes into the address (a shared link opens as it was laid out): not a new model.
      store.update((d) => (d.graphLayout = layoutOf(d.graph)));
    }));
    // The student's own zoom (Ctrl+wheel) or pan: the view stops following the canvas's size.
    editor.on("zoom", () => (fitted = false));
    editor.on("translate", () => (fitted = false));
    editor.createCurvature = ((own) => (sx, sy, ex, ey, value, type) => route(sx, sy, ex, ey) ?? own.call(editor, sx, sy, ex, ey, value, type))(editor.createCurvature);
    new ResizeObserver(() => fitted && fit()).observe(canvas);
    editor.on("nodeSelected", edit((id) => select(names.get(String(id)), false)));
    shown = "";
  }

  store.subscribe((_state, changed) => {
    if (changed.has("modelView") || changed.has("graph")) {
      if (!active()) shown = "";
      follow();
    }
  });
  onLanguage(() => {
    renderTexts();
    shown = "";
    follow();
  });
  renderTexts();
  follow();
  return {
    /** Whether the graph view is open (for the page's spec). */
    get active() {
      return active();
    },
  };
}
