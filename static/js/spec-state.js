// The other way round from main.js's buildSpec: a run's spec (POST /api/runs body, as an
// experiment file or the server's answer holds it) as page settings. Values equal to the
// catalog's defaults are left out, so the stack and the address stay as short as if typed.

import { chainLayers } from "./graph-model.js";

const isDefault = (entry, name, value) => {
  const param = entry?.params.find((p) => p.name === name);
  return value === null || (param !== undefined && JSON.stringify(param.default) === JSON.stringify(value));
};

/**
 * An optimizer's settings as a person typed them: Keras keeps them as float32, so a model's
 * config says 0.029999999329447746 for 0.03; the shortest decimal with the same float32 is meant.
 */
function typed(value) {
  if (typeof value !== "number" || Number.isInteger(value)) return value;
  for (let digits = 1; digits <= 9; digits++) {
    const short = Number(value.toPrecision(digits));
    if (Math.fround(short) === Math.fround(value)) return short;
  }
  return value;
}

const typedAll = (values) => Object.fromEntries(Object.entries(values).map(([name, value]) => [name, typed(value)]));

function withoutDefaults(entry, values) {
  return Object.fromEntries(Object.entries(values).filter(([name, value]) => !isDefault(entry, name, value)));
}

// The stack's cards name these even when they equal the default (Dense 4 · linear).
const ALWAYS = new Set(["units", "activation"]);

/** A layer spec with only what differs from the catalog (plus `type`, units and activation). */
function layerFrom(layer, catalog) {
  const { type, ...params } = layer;
  const entry = catalog.layers.find((e) => e.name === type);
  const kept = withoutDefaults(entry, params);
  for (const [name, value] of Object.entries(params)) if (ALWAYS.has(name) && value !== null) kept[name] = value;
  return { type, ...kept };
}

/** Apply `spec` to the store's draft `d` (unknown parts of the spec leave the draft as it is). */
export function applySpec(d, spec, catalog) {
  const data = spec.dataset ?? {};
  if (data.name) {
    d.dataset = {
      name: data.name,
      noise: data.noise ?? d.dataset.noise,
      train_ratio: data.train_ratio ?? d.dataset.train_ratio,
      seed: data.seed ?? d.dataset.seed,
      features: Array.isArray(data.features) && data.features.length ? [...data.features] : d.dataset.features,
      scaling: data.scaling ?? "none",
    };
    if (data.n_samples) d.dataset.n_samples = data.n_samples;
  }
  if (Array.isArray(spec.model?.layers)) {
    d.layers = spec.model.layers.map((layer) => layerFrom(layer, catalog));
    d.modelView = "stack";
    // A stack model: the graph view starts again from it (not from a graph opened before).
    d.graph = null;
    d.graphLayout = null;
  }
  if (Array.isArray(spec.model?.graph?.nodes)) {
    // A graph model (the functional API) opens in the graph view; a chain is the stack too.
    const graph = structuredClone(spec.model.graph);
    for (const node of graph.nodes) {
      const layer = /** @type {{type: string, name?: unknown}} */ (layerFrom(node.layer, catalog));
      delete layer.name; // the node's name is the layer's
      node.layer = layer;
    }
    d.graph = graph;
    d.graphLayout = null; // laid out afresh (a kept layout belonged to the graph before)
    d.modelView = "graph";
    const layers = chainLayers(graph);
    if (layers) d.layers = layers;
  }
  const compile = spec.compile ?? {};
  if (typeof compile.loss === "string") d.loss = compile.loss;
  if (Array.isArray(compile.metrics)) d.metrics = [...compile.metrics];
  if (compile.optimizer?.type) {
    const { type, learning_rate: lr, ...params } = compile.optimizer;
    d.optimizer = { type, params: withoutDefaults(catalog.optimizers.find((o) => o.name === type), typedAll(params)) };
    if (typeof lr === "number") {
      d.learningRate = typed(lr);
      d.schedule = null;
    } else if (lr?.type) {
      const entry = catalog.schedules.find((s) => s.name === lr.type);
      const { type: scheduleType, ...scheduleParams } = typedAll(lr);
      d.schedule = { type: scheduleType, ...withoutDefaults(entry, scheduleParams) };
      if (typeof lr.initial_learning_rate === "number") d.learningRate = typed(lr.initial_learning_rate);
    }
  }
  if (spec.fit?.epochs) d.epochs = spec.fit.epochs;
  if (spec.fit?.batch_size) d.batchSize = spec.fit.batch_size;
  if (spec.fit) d.validationSplit = spec.fit.validation_split ?? 0;
  if (typeof spec.seed === "number") d.seed = spec.seed;
  // The setup was chosen on purpose: a later change of data set must not rewrite its end.
  d.auto = { output: false, loss: false, metrics: false };
}
