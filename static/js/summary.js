// The Keras-style summary table, asked of the server a moment after the stack stops changing.

import { api } from "./api.js";
import { setErrors } from "./errors.js";
import { modelSpec } from "./graph-model.js";
import { onLanguage, t } from "./i18n.js";

const shape = (s) => `(${s.map((d) => (d === null ? "None" : d)).join(", ")})`;

/** It asks again whenever the store's layers or data set change, and redraws itself in a new language. */
export function createSummary({ element, datasetRef, store, delay = 250 }) {
  let timer = 0;
  let asked = 0;
  let last = null;
  let lastModel = { layers: [] };

  function cell(tag, text, cls = "") {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }

  function render() {
    element.replaceChildren();
    const table = document.createElement("table");
    const head = document.createElement("tr");
    // A functional model's summary says what each layer takes, as model.summary() does.
    const connected = (last?.layers ?? []).some((l) => Array.isArray(l.connected_to));
    head.append(cell("th", t("summary.layer")), cell("th", t("summary.shape")), cell("th", t("summary.params"), "num"));
    if (connected) head.append(cell("th", t("summary.connected")));
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    const nf = new Intl.NumberFormat("en-US");
    for (const layer of last?.layers ?? []) {
      const row = document.createElement("tr");
      row.append(cell("td", `${layer.name} (${layer.type})`), cell("td", shape(layer.output_shape)), cell("td", nf.format(layer.params), "num"));
      if (connected) row.append(cell("td", (layer.connected_to ?? []).join(", ") || "—", "connected"));
      tbody.append(row);
    }
    table.append(thead, tbody);
    if (last) {
      const tfoot = document.createElement("tfoot");
      for (const [key, value] of [["summary.total", last.total_params], ["summary.trainable", last.trainable_params], ["summary.nonTrainable", last.non_trainable_params]]) {
        const row = document.createElement("tr");
        const label = cell("td", t(key));
        label.colSpan = 2;
        if (connected) row.append(cell("td", ""));
        row.append(label, cell("td", nf.format(value), "num"));
        if (key === "summary.total") row.dataset.testid = "summary-total";
        tfoot.append(row);
      }
      table.append(tfoot);
    }
    element.append(table);
    element.classList.toggle("stale", last === null && (lastModel.graph || lastModel.layers.length > 0));
  }

  async function fetchSummary(model) {
    const ticket = ++asked;
    if (!model.graph && !model.layers.length) {
      last = null;
      setErrors("summary", [{ field: "model.layers", message: "needs at least 1 item(s)" }]);
      render();
      return;
    }
    element.setAttribute("aria-busy", "true");
    try {
      const result = await api.summary({ model, dataset: datasetRef() });
      if (ticket !== asked) return;
      last = result;
      setErrors("summary", []);
    } catch (error) {
      if (ticket !== asked) return;
      last = null;
      setErrors("summary", error.errors ?? [{ field: "", message: String(error.message) }]);
    } finally {
      if (ticket === asked) element.removeAttribute("aria-busy");
    }
    render();
  }

  /** Ask again for the model (`{layers}` or `{graph}`) after a short pause (the stack often changes several times in a row). */
  function request(model) {
    lastModel = Array.isArray(model) ? { layers: model } : model;
    clearTimeout(timer);
    timer = setTimeout(() => fetchSummary(lastModel), delay);
  }

  store.subscribe((state, changed) => ["layers", "graph", "modelView", "dataset"].some((key) => changed.has(key)) && request(modelSpec(state)));
  onLanguage(render);
  request(modelSpec(store.get()));
  return { request, render };
}
