// The whole setup in the address: a declarative table of query parameters, like TF Playground's.
// Copying the address and opening it elsewhere restores the data, the network and the settings.

const number = { parse: (s) => (Number.isFinite(Number(s)) ? Number(s) : undefined), format: String };
const text = { parse: (s) => s, format: String };
const flag = { parse: (s) => s === "1" || s === "true", format: (v) => (v ? "1" : "0") };
const list = { parse: (s) => (s ? s.split(",") : []), format: (v) => v.join(",") };
const json = {
  parse: (s) => {
    try {
      return JSON.parse(s);
    } catch {
      return undefined;
    }
  },
  format: (v) => JSON.stringify(v),
};

/**
 * [query key, state path, codec]; the order is the order in the address.
 * @type {[string, string, {parse: (s: string) => any, format: (v: any) => string}][]}
 */
export const URL_FIELDS = [
  ["data", "dataset.name", text],
  ["noise", "dataset.noise", number],
  ["train", "dataset.train_ratio", number],
  ["samples", "dataset.n_samples", number],
  ["dataSeed", "dataset.seed", number],
  ["features", "dataset.features", list],
  ["scaling", "dataset.scaling", text],
  ["layers", "layers", json],
  ["graph", "graph", json],
  ["graphPos", "graphLayout", json], // the graph's node positions ({name: [x, y]}), once a node was moved
  ["model", "modelView", text],
  ["loss", "loss", text],
  ["optimizer", "optimizer.type", text],
  ["optimizerParams", "optimizer.params", json],
  ["lr", "learningRate", number],
  ["schedule", "schedule", json],
  ["metrics", "metrics", list],
  ["epochs", "epochs", number],
  ["batch", "batchSize", number],
  ["valSplit", "validationSplit", number],
  ["seed", "seed", number],
  ["showTest", "view.showTest", flag],
  ["discretize", "view.discretize", flag],
  ["logScale", "view.logScale", flag],
  ["lang", "lang", text],
  ["hide", "hide", list],
  ["auto", "auto", json],
  ["lesson", "lesson", text],
];

function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

function setPath(obj, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  let o = obj;
  for (const k of keys) o = o[k] ??= {};
  o[last] = value;
}

/** Settings found in `search`, applied over `state` (unknown or malformed values are ignored). */
export function readUrl(state, search) {
  const params = new URLSearchParams(search);
  for (const [key, path, codec] of URL_FIELDS) {
    if (!params.has(key)) continue;
    const value = codec.parse(params.get(key));
    if (value !== undefined && value !== null) setPath(state, path, value);
  }
  return state;
}

// Left out of the address while they equal the defaults; everything else is always written, so a
// link keeps its meaning even if a later version changes a default.
const OPTIONAL = new Set(["model", "samples", "valSplit", "optimizerParams", "schedule", "showTest", "discretize", "logScale", "hide", "auto", "scaling"]);

/** The query string for `state`. */
export function writeUrl(state, defaults) {
  const params = new URLSearchParams();
  for (const [key, path, codec] of URL_FIELDS) {
    const value = getPath(state, path);
    if (value === undefined || value === null) continue;
    if (key === "lang" && !state.langChosen) continue;
    if (OPTIONAL.has(key) && JSON.stringify(value) === JSON.stringify(getPath(defaults, path))) continue;
    params.set(key, codec.format(value));
  }
  return params.toString();
}
