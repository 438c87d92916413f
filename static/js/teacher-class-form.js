// The teacher's class form: a name and the class's rules (data sets, layers, max units and
// epochs, hidden controls). It creates a class, or saves the rules of the one shown.

import { HIDEABLE } from "./classroom-strings.js";
import { datasetName, language, t } from "./i18n.js";

const $ = (selector) => document.querySelector(selector);

function check(container, value, label, testid) {
  const item = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = value;
  box.dataset.testid = testid;
  const text = document.createElement("span");
  text.textContent = label;
  item.append(box, " ", text);
  container.append(item);
}

const checked = (container) => [...container.querySelectorAll("input:checked")].map((box) => box.value);

export function createClassForm({ catalog, datasets, onSubmit }) {
  const panel = $("#class-form-panel");
  const form = $("#class-form");
  const status = $("#class-form-status");
  const boxes = { datasets: $("#rule-datasets"), layers: $("#rule-layers"), hide: $("#rule-hide") };
  let editing = null; // the class whose rules are being changed, or null for a new class

  function render() {
    const keep = { datasets: checked(boxes.datasets), layers: checked(boxes.layers), hide: checked(boxes.hide) };
    for (const box of Object.values(boxes)) box.replaceChildren();
    // Uploads are one session's own and challenge sets belong to their class: neither is a rule.
    for (const info of datasets.filter((d) => ["plane", "table", "real"].includes(d.kind) && !d.fixed)) {
      check(boxes.datasets, info.name, datasetName(info.name), `rule-dataset-${info.name}`);
    }
    for (const entry of catalog.layers) check(boxes.layers, entry.name, entry.name, `rule-layer-${entry.name}`);
    for (const [key, label] of Object.entries(HIDEABLE[language()])) check(boxes.hide, key, label, `rule-hide-${key}`);
    for (const [name, values] of Object.entries(keep)) {
      for (const box of boxes[name].querySelectorAll("input")) box.checked = values.includes(box.value);
    }
    $("#class-form-heading").textContent = editing ? `${editing.name}: ${t("teacher.editRules").replace("…", "")}` : t("teacher.newClass");
    $("#class-submit").textContent = editing ? t("teacher.save") : t("teacher.create");
  }

  function fill(klass) {
    const rules = klass?.settings ?? {};
    $("#class-name").value = klass?.name ?? "";
    for (const name of ["datasets", "layers", "hide"]) {
      for (const box of boxes[name].querySelectorAll("input")) box.checked = (rules[name] ?? []).includes(box.value);
    }
    $("#rule-max-units").value = rules.max_units ?? "";
    $("#rule-max-epochs").value = rules.max_epochs ?? "";
    status.textContent = "";
  }

  function settings() {
    const out = { hide: checked(boxes.hide) };
    for (const name of ["datasets", "layers"]) {
      const values = checked(boxes[name]);
      if (values.length) out[name] = values;
    }
    const units = Number($("#rule-max-units").value);
    const epochs = Number($("#rule-max-epochs").value);
    if ($("#rule-max-units").value && units >= 1) out.max_units = units;
    if ($("#rule-max-epochs").value && epochs >= 1) out.max_epochs = epochs;
    return out;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    status.textContent = "";
    const ok = await onSubmit({ id: editing?.id ?? null, name: $("#class-name").value.trim(), settings: settings() });
    if (ok && editing) status.textContent = t("teacher.saved");
  });

  render();
  return {
    render,
    /** Show the form for a new class (klass = null) or for the rules of `klass`. */
    open(klass = null) {
      editing = klass;
      render();
      fill(klass);
      panel.hidden = false;
      $("#class-name").focus();
    },
    close() {
      panel.hidden = true;
      editing = null;
    },
    get isOpen() {
      return !panel.hidden;
    },
  };
}
