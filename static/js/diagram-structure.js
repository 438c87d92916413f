// What the network diagram shows, derived from the store: the inputs (the plane's features, a
// table's columns or the picture) and a column per Dense layer, or for an image model each
// Conv2D's filters, the pooling, Flatten and Dense. The diagram is given its structure whenever the
// store's layers, data set or hidden controls change.

import { FEATURES } from "./diagram.js";
import { depths, isChain, isMerge, MERGE_SYMBOLS } from "./graph-model.js";
import { onLanguage, t } from "./i18n.js";

const FEATURE_ORDER = Object.keys(FEATURES);

/** An image model as it is: the picture, then each Conv2D's filters, the pooling, Flatten and Dense. */
export function imageStructure(state, info, catalog) {
  const [h, w] = info.input_shape;
  const layers = [];
  // A setting left at its default is not in the stack's layer: the catalog knows it.
  const param = (l, name) => l[name] ?? catalog.layers.find((e) => e.name === l.type)?.params.find((p) => p.name === name)?.default;
  let channels = info.input_shape[2] ?? 1;
  for (const l of state.layers) {
    const size = (v) => (Array.isArray(v) ? v.join("×") : `${v}×${v}`);
    if (l.type === "Conv2D") {
      channels = Math.max(1, Number(param(l, "filters")) || 1);
      layers.push({ type: l.type, units: channels, label: `Conv2D ${channels} · ${size(param(l, "kernel_size") ?? 3)}` });
    } else if (l.type.endsWith("Pooling2D") && !l.type.startsWith("Global")) layers.push({ type: l.type, units: channels, label: `${l.type} ${size(param(l, "pool_size") ?? 2)}`, oneToOne: true }); // pools each map alone
    else if (l.type === "Flatten" || l.type === "GlobalAveragePooling2D") layers.push({ units: 1, label: l.type });
    else if (l.type === "Dense") layers.push({ units: Math.max(0, Math.round(Number(l.units) || 0)), label: `Dense ${l.units}` });
    else if (layers.length) layers[layers.length - 1].label += ` + ${l.type}`;
  }
  const picture = t("network.image", { h, w });
  return { plane: false, image: true, task: info.task, features: [{ name: picture, active: true }], activeNames: [picture], layers };
}

/**
 * A graph model (not a chain) as the diagram draws it: each input's features, then each node in
 * the column of its depth, as many units as its output has: a Dense node its units, a merge the
 * units it gives (Concatenate its inputs' units one after another, Add, Average, Subtract and
 * Multiply unit i of every input in unit i), any other layer its input's units. `feeds[u]` says
 * which [node, unit]s make a merge's or a layer's unit u, so that the lines into it follow the
 * graph and the Dense after it gets a weight line from each of its units (kernel row u).
 */
export function graphStructure(state, base) {
  const graph = state.graph;
  const depth = depths(graph);
  const several = graph.inputs.length > 1;
  const inputs = graph.inputs.map((input) => ({
    name: input.name, kind: "input", depth: 0, inputs: [], output: false,
    features: several && input.features ? input.features : base.activeNames,
    label: several ? input.name : "",
  }));
  const width = new Map(inputs.map((i) => [i.name, i.features.length]));
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  const visiting = new Set();
  /** The units a node's output has (a cycle or a missing node: none). */
  const widthOf = (name) => {
    if (width.has(name)) return width.get(name);
    const node = nodes.get(name);
    if (!node || visiting.has(name)) return 0;
    visiting.add(name);
    const { type } = node.layer;
    const sizes = node.inputs.map(widthOf);
    const w = type === "Dense" ? Math.max(0, Math.round(Number(node.layer.units) || 0))
      : type === "Concatenate" ? sizes.reduce((a, b) => a + b, 0)
      : Math.max(0, ...sizes);
    visiting.delete(name);
    width.set(name, w);
    return w;
  };
  const items = [
    ...inputs,
    ...graph.nodes.map((node) => {
      const { type } = node.layer;
      const dense = type === "Dense";
      const units = widthOf(node.name);
      const label = dense ? `${node.name} · Dense ${node.layer.units}` : `${node.name} · ${type}`;
      const feeds = [];
      if (!dense) {
        if (type === "Concatenate") for (const source of node.inputs) for (let u = 0; u < widthOf(source); u++) feeds.push([[source, u]]);
        else for (let u = 0; u < units; u++) feeds.push(node.inputs.filter((source) => u < widthOf(source)).map((source) => [source, u]));
      }
      return {
        name: node.name, kind: dense ? "dense" : isMerge(type) ? "merge" : "op", symbol: MERGE_SYMBOLS[type] ?? "", type,
        units, label, depth: depth.get(node.name) ?? 1, inputs: [...node.inputs], output: graph.outputs.includes(node.name), feeds,
      };
    }),
  ];
  return { ...base, layers: [], graph: { items, depth: Math.max(0, ...items.map((i) => i.depth)) } };
}

export function diagramStructure(state, info, catalog) {
  if ((info.input_shape ?? []).length > 1) return imageStructure(state, info, catalog);
  if (state.modelView === "graph" && state.graph && !isChain(state.graph)) {
    const base = diagramStructure({ ...state, modelView: "stack" }, info, catalog);
    return graphStructure(state, base);
  }
  const plane = info.kind === "plane";
  const hideFeatures = state.hide.includes("features");
  const features = plane
    ? FEATURE_ORDER.filter((f) => !hideFeatures || state.dataset.features.includes(f)).map((name) => ({ name, active: state.dataset.features.includes(name) }))
    : info.feature_names.map((name) => ({ name, active: true }));
  // Each Dense column names the layers after it too (Dropout, normalisation…), so a lesson about
  // Dropout shows its Dropout.
  const dense = [];
  for (const l of state.layers) {
    if (l.type === "Dense") dense.push({ ...l, extras: [] });
    else if (dense.length) dense[dense.length - 1].extras.push(l.type === "Dropout" && l.rate !== undefined ? `Dropout ${l.rate}` : l.type);
  }
  return {
    plane: plane && !hideFeatures,
    task: info.task,
    features,
    activeNames: features.filter((f) => f.active).map((f) => f.name),
    layers: dense.map((l) => ({ units: Math.max(0, Math.round(Number(l.units) || 0)), label: [`Dense ${l.units}`, ...l.extras].join(" + ") })),
  };
}

/** Keep `diagram`'s structure that of the store's setup; `image` says whether it is an image model's. */
export function createDiagramStructure({ store, diagram, catalog, infoOf }) {
  let image = false;
  function set() {
    const state = store.get();
    const structure = diagramStructure(state, infoOf(state), catalog);
    image = Boolean(structure.image);
    diagram.setStructure(structure);
  }
  store.subscribe((_state, changed) => ["layers", "graph", "modelView", "dataset", "hide"].some((key) => changed.has(key)) && set());
  // The picture's name is in words; a plane's unit maps stay as they are in a new language.
  onLanguage(() => image && set());
  set();
  return {
    get image() {
      return image;
    },
  };
}
