// "My runs" in the top bar: this session's runs (GET /api/runs, kept across reloads and server
// restarts), newest first; any can be opened again, an interrupted or paused one resumed.

import { modelLayers } from "./graph-model.js";
import { scoreText } from "./board.js";
import { classApi } from "./classroom-api.js";
import { datasetName, onLanguage, t } from "./i18n.js";

/** A model in one line: "Dense 8 relu → Dense 1 sigmoid". */
export function architecture(spec) {
  return modelLayers(spec?.model).map((layer) => {
    const words = [layer.type];
    for (const name of ["units", "filters", "rate"]) if (layer[name] !== undefined && layer[name] !== null) words.push(String(layer[name]));
    if (typeof layer.activation === "string" && layer.activation !== "linear") words.push(layer.activation);
    return words.join(" ");
  }).join(" → ");
}

export function createMyRuns({ root, titleOf, metricOf, currentId, onOpen }) {
  const $ = (selector) => root.querySelector(selector);
  const menu = $("#my-runs");
  const list = $("#my-runs-list");
  let runs = [];

  function render() {
    list.replaceChildren();
    for (const run of runs) {
      const item = document.createElement("li");
      item.dataset.testid = `my-run-${run.id}`;
      item.classList.toggle("current", run.id === currentId());
      const what = document.createElement("span");
      what.className = "what";
      const data = document.createElement("strong");
      data.textContent = titleOf(run.spec.dataset.name) ?? datasetName(run.spec.dataset.name);
      what.append(data, ` · ${architecture(run.spec)}`);
      const state = document.createElement("span");
      state.className = `state status-${run.status}`;
      const score = run.score === null || run.score === undefined ? "" : ` · ${t("mine.score", { score: scoreText(run.score, metricOf(run.challenge, run.spec.dataset.name)) })}`;
      state.textContent = `${run.epoch} / ${run.epochs} · ${t(`run.status.${run.status}`)}${score}`;
      const open = document.createElement("button");
      open.type = "button";
      open.dataset.testid = "my-run-open";
      const resumable = run.status === "interrupted" || run.status === "paused";
      open.textContent = resumable ? t("mine.resume") : t("mine.open");
      open.addEventListener("click", () => {
        menu.open = false;
        onOpen(run.id, { resume: resumable });
      });
      item.append(what, state, open);
      list.append(item);
    }
    $("#my-runs-none").hidden = runs.length > 0;
    $("#my-runs-count").textContent = runs.length ? String(runs.length) : "";
  }

  async function refresh() {
    try {
      // A run paused or stopped before its first epoch (the untrained preview before ▶, this tab's
      // or another's, or a preview let go) is no run of the student's yet: nothing to reopen.
      runs = (await classApi.myRuns()).filter((run) => !((run.status === "paused" || run.status === "stopped") && !run.epoch));
    } catch {
      return;
    }
    render();
  }
  menu.addEventListener("toggle", () => menu.open && refresh());

  onLanguage(render); // redrawn in a new language by itself
  return { refresh, render };
}
