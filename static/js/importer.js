// Bringing work back: a .keras model (POST /api/models/import) or an experiment file
// (POST /api/experiments). Each gives a new run; `onOpened` makes the page follow it.

import { api } from "./api.js";
import { setErrors } from "./errors.js";
import { onLanguage, t } from "./i18n.js";

const FORMAT = "nn-playground-experiment";

export function createImporter({ root, datasetName, onOpened }) {
  const modelInput = root.querySelector("#import-model");
  const experimentInput = root.querySelector("#import-experiment");
  const status = root.querySelector("#import-status");
  let said = null; // {key, vars}: the status line, kept as a key so it follows the language

  function say(key, vars = {}) {
    said = key ? { key, vars } : null;
    status.textContent = said ? t(key, vars) : "";
  }

  /** Show a failure: the server's {field, message} list, or one of the page's own messages. */
  function fail(errors) {
    say(null);
    setErrors("import", errors);
  }

  async function open(input, read) {
    const file = input.files?.[0];
    input.value = ""; // choosing the same file again must open it again
    if (!file) return;
    setErrors("import", []);
    say("home.importing", { name: file.name });
    try {
      const opened = await read(file);
      if (!opened) return;
      onOpened(opened);
      say(opened.kind === "model" ? "home.importedModel" : "home.importedExperiment", { name: file.name });
    } catch (error) {
      fail(error.errors ?? [{ field: "", message: String(error.message) }]);
    }
  }

  async function readModel(file) {
    const created = await api.importModel(file, datasetName());
    return { kind: "model", created, spec: created.spec };
  }

  async function readExperiment(file) {
    let experiment;
    try {
      experiment = JSON.parse(await file.text());
    } catch {
      fail([{ field: "", key: "home.notJson", vars: { name: file.name } }]);
      return null;
    }
    if (experiment?.format !== FORMAT || typeof experiment.spec !== "object") {
      fail([{ field: "", key: "home.notExperiment", vars: { name: file.name } }]);
      return null;
    }
    const created = await api.importExperiment(experiment);
    return { kind: "experiment", created, spec: created.spec ?? experiment.spec };
  }

  modelInput.addEventListener("change", () => open(modelInput, readModel));
  experimentInput.addEventListener("change", () => open(experimentInput, readExperiment));

  const view = {
    relabel() {
      status.textContent = said ? t(said.key, said.vars) : "";
    },
    /** Forget the status line (the student moved on to another setup). */
    clear() {
      say(null);
    },
  };
  onLanguage(() => view.relabel()); // redrawn in a new language by itself
  return view;
}
