// The page's starting settings, and the output layer, loss and metrics that suit a data set.

import { browserLanguage } from "./i18n.js";

/** What a data set asks of the model's end: {units, activation, loss, metrics}. */
export function fitFor(info) {
  // A regression set ends with one linear unit per target (two for H(X) = XW with W of shape [3, 2]).
  if (!info || info.task === "regression") return { units: info?.target_names?.length || 1, activation: "linear", loss: "mean_squared_error", metrics: [] };
  if (info.n_classes > 2) return { units: info.n_classes, activation: "softmax", loss: "sparse_categorical_crossentropy", metrics: ["accuracy"] };
  return { units: 1, activation: "sigmoid", loss: "binary_crossentropy", metrics: ["accuracy"] };
}

export function defaultState() {
  return {
    lang: browserLanguage(),
    langChosen: false,
    dataset: { name: "circle", noise: 0, train_ratio: 0.5, seed: 0, features: ["x1", "x2"], scaling: "none" },
    lesson: null, // the id of the preset last loaded (its explanation is shown)
    layers: [
      { type: "Dense", units: 4, activation: "tanh" },
      { type: "Dense", units: 2, activation: "tanh" },
      { type: "Dense", units: 1, activation: "sigmoid" },
    ],
    graph: null, // a graph model (the functional API) in the spec's shape, once the graph view is opened
    modelView: "stack", // or "graph": which of the two the student builds in
    loss: "binary_crossentropy",
    optimizer: { type: "SGD", params: {} },
    learningRate: 0.03,
    schedule: null, // or {type, ...params}
    metrics: ["accuracy"],
    epochs: 5000,
    batchSize: 10,
    validationSplit: 0, // Keras's fit(validation_split=…): 0 measures val_* on the test split
    seed: 0,
    view: { showTest: false, discretize: false, logScale: false },
    hide: [],
    // true while the page may still choose the output layer / loss / metrics for the data set;
    // false once the student has changed them on purpose.
    auto: { output: true, loss: true, metrics: true },
  };
}

/** Make the model's end and the loss suit the newly chosen data set, unless chosen by hand. */
export function adaptToDataset(draft, info) {
  const fit = fitFor(info);
  const last = draft.layers[draft.layers.length - 1];
  if (draft.auto.output && last?.type === "Dense") {
    last.units = fit.units;
    last.activation = fit.activation;
  }
  if (draft.auto.loss) draft.loss = fit.loss;
  if (draft.auto.metrics) draft.metrics = fit.metrics;
  if ((info?.input_shape ?? []).length > 1) flattenBeforeDense(draft.layers);
}

// Layers after which a picture is one vector per sample, so a Dense layer can follow.
const FLATTENING = new Set(["Flatten", "GlobalAveragePooling2D", "GlobalMaxPooling2D", "Reshape"]);

/**
 * Pictures reach a Dense stack only through a Flatten (a Dense on a picture keeps its height and
 * width, and the server refuses the model): one is put before the first Dense layer if none is there.
 * @param {{type: string}[]} layers
 */
export function flattenBeforeDense(layers) {
  const first = layers.findIndex((l) => l.type === "Dense");
  if (first >= 0 && !layers.slice(0, first).some((l) => FLATTENING.has(l.type))) layers.splice(first, 0, { type: "Flatten" });
}
