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
 * the column of its depth: a Dense node as its units, a merge as one merge node (+, ⧺, ×, x̄, −),
 * any other layer as one small node; `inputs` are the edges, skip connections among them.
 */
export function graphStructure(state, base) {
  const graph = state.graph;
  const depth = depths(graph);
  const several = graph.inputs.length > 1;
  const items = [
    ...graph.inputs.map((input) => ({
      name: input.name, kind: "input", depth: 0, inputs: [], output: false,
      features: several && input.features ? input.features : base.activeNames,
      label: several ? input.name : "",
    })),
    ...graph.nodes.map((node) => {
      const { type } = node.layer;
      const dense = type === "Dense";
      const units = dense ? Math.max(0, Math.round(Number(node.layer.units) || 0)) : 1;
      const label = dense ? `${node.name} · Dense ${node.layer.units}` : isMerge(type) ? `${node.name} · ${type}` : `${node.name} · ${type}`;
      return {
        name: node.name, kind: dense ? "dense" : isMerge(type) ? "merge" : "op", symbol: MERGE_SYMBOLS[type] ?? "", type,
        units, label, depth: depth.get(node.name) ?? 1, inputs: [...node.inputs], output: graph.outputs.includes(node.name),
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
