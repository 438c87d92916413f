// The HTTP side of the server's API: one function per endpoint, errors as ApiError.

import { STREAM_FORMAT, parseMessage } from "./frames.js";

export class ApiError extends Error {
  /** @param {number} status @param {string} detail @param {{field: string, message: string, code?: string, params?: object}[]} errors */
  constructor(status, detail, errors) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.errors = errors.length ? errors : [{ field: "", message: detail }];
  }
}

export async function request(method, path, body) {
  /** @type {RequestInit & {headers: Record<string, string>}} */
  const init = { method, headers: {}, credentials: "same-origin" };
  if (body instanceof FormData) {
    init.body = body; // the browser writes the multipart content type with its boundary
  } else if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (exc) {
    throw new ApiError(0, "the server cannot be reached", [{ field: "", code: "unreachable", params: {}, message: "the server cannot be reached" }]);
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = typeof data.detail === "string" ? data.detail : `HTTP ${response.status}`;
    const errors = Array.isArray(data.errors) ? data.errors : [];
    // An answer without the API's errors (a crash, a proxy's page) still says what happened.
    if (!errors.length && response.status >= 500) errors.push({ field: "", code: "server_error", params: {}, message: detail });
    throw new ApiError(response.status, detail, errors);
  }
  return data;
}

export const api = {
  catalog: () => request("GET", "/api/catalog"),
  datasets: () => request("GET", "/api/datasets"),
  presets: () => request("GET", "/api/presets"),
  /** A CSV (a File, or pasted text) with a header row as a new data set: {name, task, …}. */
  /** @param {{file?: File, text?: string, label: string, task?: string}} upload */
  uploadDataset({ file, text, label, task }) {
    const form = new FormData();
    if (file) form.append("file", file);
    else form.append("text", text);
    form.append("label", label);
    if (task) form.append("task", task);
    return request("POST", "/api/datasets", form);
  },
  predict: (id, inputs) => request("POST", `/api/runs/${encodeURIComponent(id)}/predict`, { inputs }),
  /** Rows already scaled as the training data was (a preview's rows, fetched with the run's scaling). */
  predictScaled: (id, inputs) => request("POST", `/api/runs/${encodeURIComponent(id)}/predict`, { inputs, scaled: true }),
  /** Plane points (x1, x2), turned into the run's input features by the server. */
  predictPoints: (id, points) => request("POST", `/api/runs/${encodeURIComponent(id)}/predict`, { points }),
  run: (id) => request("GET", `/api/runs/${encodeURIComponent(id)}`),
  /** scikit-learn's MLP with the run's hidden layers, scored next to the run. */
  baseline: (id) => request("POST", `/api/runs/${encodeURIComponent(id)}/baseline`),
  /** Train a done or stopped run `epochs` more epochs: its history and optimizer state go on. */
  continueRun: (id, epochs) => request("POST", `/api/runs/${encodeURIComponent(id)}/continue`, { epochs }),
  /** Loss and metrics on the test split, as model.evaluate gives them: {loss, accuracy, …}. */
  evaluate: (id) => request("POST", `/api/runs/${encodeURIComponent(id)}/evaluate`),
  report: (id) => request("GET", `/api/runs/${encodeURIComponent(id)}/report`),
  gradients: (id) => request("GET", `/api/theory/gradients/${encodeURIComponent(id)}`),
  /** Test picture `sample` through an image model at the run's weights now: maps, filters, output. */
  featureMaps: (id, sample) => request("GET", `/api/runs/${encodeURIComponent(id)}/feature-maps?sample=${encodeURIComponent(sample)}`),
  /** @param {string} name @param {Record<string, string|number|undefined>} query */
  dataset(name, query) {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null) params.set(key, String(value));
    return request("GET", `/api/datasets/${encodeURIComponent(name)}?${params}`);
  },
  summary: (body) => request("POST", "/api/models/summary", body),
  createRun: (spec) => request("POST", "/api/runs", spec),
  control: (id, action) => request("POST", `/api/runs/${encodeURIComponent(id)}/${action}`),
  setLearningRate: (id, value) => request("PATCH", `/api/runs/${encodeURIComponent(id)}`, { learning_rate: value }),
  deleteRun: (id) => request("DELETE", `/api/runs/${encodeURIComponent(id)}`),
  /** POST an experiment file's JSON: a new run of its setup (answers like createRun). */
  importExperiment: (experiment) => request("POST", "/api/experiments", experiment),
  /** Upload a .keras file (to train on data set `dataset`, if given): a new, paused run. */
  importModel(file, dataset) {
    const form = new FormData();
    form.append("file", file);
    if (dataset) form.append("dataset", dataset);
    return request("POST", "/api/models/import", form);
  },
  /** The text of one of a run's files (code.py, summary.txt, …). */
  async runText(id, name, query = {}) {
    const response = await fetch(runFileUrl(id, name, query), { credentials: "same-origin" });
    if (!response.ok) throw new ApiError(response.status, `HTTP ${response.status}`, []);
    return response.text();
  },
};

/** Where a run's file is downloaded from: model.keras, weights.weights.h5, code.py, … */
export function runFileUrl(id, name, query = {}) {
  const params = new URLSearchParams(query).toString();
  return `/api/runs/${encodeURIComponent(id)}/${name}${params ? `?${params}` : ""}`;
}

/** Reconnecting: the first wait, and the longest (ms). */
const RETRY_FIRST = 500;
const RETRY_MOST = 5_000;

/**
 * Open the live stream of a run; `onMessage` gets each parsed message (see frames.js). `done`
 * brings only the epochs no frame brought (`done=rest`): fold every message with `foldHistory`.
 * A socket that closes before the run's last message (`done` or `error`) — the server restarted,
 * the web process behind the balancer went away, the network dropped — is opened again after
 * 0.5 s, then up to 5 s apart, asking only for the epochs after `since()` (what the caller holds).
 * Controls sent meanwhile go out once it is open; `onLink(false)` says the link was lost,
 * `onLink(true)` that a message came again.
 * @param {string} id
 * @param {(message: any) => void} onMessage
 * @param {{since?: () => number, onClose?: () => void, onLink?: (up: boolean) => void}} [options]
 */
export function openStream(id, onMessage, { since = () => 0, onClose, onLink } = {}) {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  /** @type {WebSocket} */
  let ws;
  /** @type {string[]} */
  const waiting = [];
  let closed = false; // by the caller
  let ended = false; // the run's last message came
  let retry = RETRY_FIRST;
  let timer = 0;
  let lost = false;

  function connect() {
    const query = `?format=${STREAM_FORMAT}&done=rest&since=${since()}`;
    ws = new WebSocket(`${scheme}://${location.host}/ws/runs/${encodeURIComponent(id)}${query}`);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => {
      for (const text of waiting.splice(0)) ws.send(text);
    };
    ws.onmessage = (event) => {
      retry = RETRY_FIRST;
      if (lost) {
        lost = false;
        onLink?.(true);
      }
      const message = parseMessage(event.data);
      if (message.type === "done" || message.type === "error") ended = true;
      onMessage(message);
    };
    ws.onclose = (event) => {
      if (closed) return;
      // 4404: no such run, 4422: a wrong query: asking again gets the same answer.
      if (ended || event.code === 4404 || event.code === 4422) {
        onClose?.();
        return;
      }
      if (!lost) {
        lost = true;
        onLink?.(false);
      }
      timer = window.setTimeout(connect, retry);
      retry = Math.min(RETRY_MOST, retry * 2);
    };
  }
  connect();
  return {
    send(message) {
      const text = JSON.stringify(message);
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
      else waiting.push(text);
    },
    close() {
      closed = true;
      window.clearTimeout(timer);
      ws.onclose = null;
      ws.onmessage = null;
      ws.close();
    },
  };
}
