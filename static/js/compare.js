// Two setups side by side: run A is kept (its history followed on its own stream, so it may
// still be training) while the student changes the setup and trains run B on the same data; the
// loss chart draws both. Each setup is named briefly by what sets it apart ("A: tanh, SGD 0.03").

import { modelLayers } from "./graph-model.js";
import { api, openStream } from "./api.js";
import { formatNumber, t } from "./i18n.js";
import { History, foldHistory } from "./series.js";

const FINISHED = new Set(["done", "stopped", "failed"]);

function rate(optimizer) {
  const lr = optimizer.learning_rate;
  return typeof lr === "number" ? formatNumber(lr) : lr?.type ?? "";
}

/** The short parts that name a setup: hidden activations, optimizer and rate, regularisation. */
function parts(spec) {
  const layers = modelLayers(spec.model);
  const dense = layers.filter((l) => l.type === "Dense");
  const activations = dense.slice(0, -1).map((l) => l.activation).filter((a) => a !== "linear");
  activations.push(...layers.filter((l) => l.type === "Activation").map((l) => l.activation));
  const optimizer = spec.compile.optimizer;
  const momentum = optimizer.momentum ? ` m=${formatNumber(optimizer.momentum)}` : "";
  const out = [
    [...new Set(activations)].join("/") || (dense.length > 1 ? "linear" : t("compare.noHidden")),
    `${optimizer.type} ${rate(optimizer)}${momentum}`,
  ];
  for (const type of ["Dropout", "BatchNormalization", "LayerNormalization", "GaussianNoise"]) {
    if (layers.some((l) => l.type === type)) out.push(type);
  }
  const regularizers = new Set(dense.flatMap((l) => [l.kernel_regularizer?.type, l.bias_regularizer?.type]).filter(Boolean));
  out.push(...regularizers);
  return out;
}

/** Names for A and B: their main parts, plus whatever else tells them apart when those agree. */
export function setupNames(specA, specB) {
  const a = parts(specA);
  const b = specB ? parts(specB) : a;
  const extras = [
    (s) => `[${modelLayers(s.model).filter((l) => l.units).map((l) => l.units).join("-")}]`,
    (s) => s.compile.loss,
    (s) => t("compare.batch", { n: s.fit.batch_size }),
    (s) => t("compare.epochs", { n: s.fit.epochs }),
  ];
  for (const extra of extras) {
    if (!specB || a.join() !== b.join()) break;
    const [x, y] = [extra(specA), extra(specB)];
    if (x !== y) {
      a.push(x);
      b.push(y);
    }
  }
  return [`A: ${a.join(", ")}`, `B: ${b.join(", ")}`];
}

export function createComparison({ root, onChange }) {
  const bar = root.querySelector("#compare-bar");
  const text = root.querySelector("#compare-text");
  let a = null; // {id, spec, history, status}
  let stream = null;
  let b = null; // the current run (setup B) as the page last drew it: {status, epoch}
  let names = ["A", "B"]; // each setup's name ("A: tanh, SGD 0.03")

  function follow(id) {
    const since = () => (a && a.id === id ? a.history.length : 0);
    stream = openStream(id, (message) => {
      if (!a || a.id !== id) return;
      if (message.type === "frame" || message.type === "done") a.history = foldHistory(a.history, message);
      else if (message.type !== "error") return;
      const status = message.type === "error" ? "failed" : message.status;
      if (status !== a.status) {
        a.status = status;
        render();
      }
      onChange();
    }, { since });
  }

  function end() {
    stream?.close();
    stream = null;
    if (a?.id) api.deleteRun(a.id).catch(() => {});
    a = null;
    render();
    onChange();
  }

  /** The bar says what each setup is doing now: its name, its epoch and whether it trains. */
  function render() {
    bar.hidden = !a;
    bar.dataset.runId = a?.id ?? "";
    if (!a) return;
    const aState = t(FINISHED.has(a.status) ? "compare.stateDone" : "compare.stateTraining", { name: names[0], epoch: a.history.length });
    const bTrains = b && (b.epoch > 0 || ["running", "queued", "starting", "done", "stopped"].includes(b.status));
    const bState = !bTrains
      ? t("compare.pressPlay")
      : t(FINISHED.has(b.status) ? "compare.stateDone" : b.status === "paused" ? "compare.statePaused" : "compare.stateTraining", { name: names[1], epoch: b.epoch });
    text.textContent = `${aState} ${bState}`;
    bar.dataset.b = bTrains ? b.status : "waiting";
  }

  root.querySelector("#compare-end").addEventListener("click", end);

  return {
    get active() {
      return a !== null;
    },
    get a() {
      return a;
    },
    /** After a frame: the current run (B) and both setups' names, for the bar's words. */
    followB(run, setupNames) {
      const next = run ? { status: run.status, epoch: run.epoch ?? 0 } : null;
      const changed = JSON.stringify([next, setupNames]) !== JSON.stringify([b, names]);
      b = next;
      names = setupNames ?? names;
      if (changed) render();
    },
    /** Keep a run (its id and spec) as A and follow it to the end. */
    keep({ id, spec }) {
      if (a) end();
      a = { id, spec, history: new History(), status: "running" };
      follow(id);
      render();
      onChange();
    },
    /** Start a spec as A (a lesson that compares two setups). */
    async start(spec) {
      const created = await api.createRun(spec);
      this.keep({ id: created.id, spec: created.spec ?? spec });
    },
    end,
    render,
  };
}
