// The Keras-style summary table, asked of the server a moment after the stack stops changing.

import { api } from "./api.js";
import { setErrors } from "./errors.js";
import { onLanguage, t } from "./i18n.js";

const shape = (s) => `(${s.map((d) => (d === null ? "None" : d)).join(", ")})`;

/** It asks again whenever the store's layers or data set change, and redraws itself in a new language. */
export function createSummary({ element, datasetRef, store, delay = 250 }) {
  let timer = 0;
  let asked = 0;
  let last = null;
  let lastLayers = [];

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
    head.append(cell("th", t("summary.layer")), cell("th", t("summary.shape")), cell("th", t("summary.params"), "num"));
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    const nf = new Intl.NumberFormat("en-US");
    for (const layer of last?.layers ?? []) {
      const row = document.createElement("tr");
      row.append(cell("td", `${layer.name} (${layer.type})`), cell("td", shape(layer.output_shape)), cell("td", nf.format(layer.params), "num"));
      tbody.append(row);
    }
    table.append(thead, tbody);
    if (last) {
      const tfoot = document.createElement("tfoot");
      for (const [key, value] of [["summary.total", last.total_params], ["summary.trainable", last.trainable_params], ["summary.nonTrainable", last.non_trainable_params]]) {
        const row = document.createElement("tr");
        const label = cell("td", t(key));
        label.colSpan = 2;
        row.append(label, cell("td", nf.format(value), "num"));
        if (key === "summary.total") row.dataset.testid = "summary-total";
        tfoot.append(row);
      }
      table.append(tfoot);
    }
    element.append(table);
    element.classList.toggle("stale", last === null && lastLayers.length > 0);
  }

  async function fetchSummary(layers) {
    const ticket = ++asked;
    if (!layers.length) {
      last = null;
      setErrors("summary", [{ field: "model.layers", message: "needs at least 1 item(s)" }]);
      render();
      return;
    }
    element.setAttribute("aria-busy", "true");
    try {
      const result = await api.summary({ model: { layers }, dataset: datasetRef() });
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

  /** Ask again for `layers` after a short pause (the stack often changes several times in a row). */
  function request(layers) {
    lastLayers = layers;
    clearTimeout(timer);
    timer = setTimeout(() => fetchSummary(lastLayers), delay);
  }

  store.subscribe((state, changed) => (changed.has("layers") || changed.has("dataset")) && request(state.layers));
  onLanguage(render);
  request(store.get().layers);
  return { request, render };
}
