// The training settings in the top bar: epochs, learning rate, optimizer (and its options),
// schedule (and its options), loss, metrics, and Keras's validation split.

import { describe, friendlyName, metricName, t } from "./i18n.js";
import { buildParamForm } from "./param-form.js";

// Keras's fit(validation_split=v) takes v in [0, 1); more than 0.9 would leave a class little to train on.
const MAX_VALIDATION_SPLIT = 0.9;

/** The validation-split field after the metrics: the last share of the training rows, held out
 * before shuffling as Keras does; val_loss is then measured on them instead of the test split. */
function validationField(root, store) {
  const field = document.createElement("div");
  field.className = "field";
  field.dataset.control = "validation-split";
  const label = document.createElement("label");
  label.htmlFor = "validation-split";
  label.dataset.i18n = "settings.validationSplit";
  label.textContent = t("settings.validationSplit");
  const input = document.createElement("input");
  Object.assign(input, { id: "validation-split", type: "number", min: "0", max: String(MAX_VALIDATION_SPLIT), step: "0.05" });
  input.dataset.testid = "validation-split";
  input.dataset.i18nAttr = "title:settings.validationSplitHint";
  input.title = t("settings.validationSplitHint");
  field.append(label, input);
  const metrics = root.querySelector("#metrics")?.closest(".field");
  if (metrics) metrics.after(field);
  else root.querySelector(".settings")?.append(field);
  input.addEventListener("change", () => {
    const value = input.value.trim() === "" ? 0 : Number(input.value);
    if (Number.isFinite(value) && value >= 0 && value <= MAX_VALIDATION_SPLIT) store.update((d) => (d.validationSplit = value));
    else input.value = String(store.get().validationSplit ?? 0);
  });
  return {
    render() {
      input.value = String(store.get().validationSplit ?? 0);
    },
  };
}

function defaultsOf(entry) {
  const values = {};
  for (const p of entry.params) if (p.default !== null && p.default !== undefined) values[p.name] = structuredClone(p.default);
  return values;
}

export function createSettingsPanel({ store, catalog, root, taskOf, onLearningRate }) {
  const epochs = root.querySelector("#epochs");
  const lr = root.querySelector("#learning-rate");
  const optimizer = root.querySelector("#optimizer");
  const optimizerForm = root.querySelector("#optimizer-form");
  const schedule = root.querySelector("#schedule");
  const scheduleOptions = root.querySelector("#schedule-options");
  const scheduleForm = root.querySelector("#schedule-form");
  const loss = root.querySelector("#loss");
  const metrics = root.querySelector("#metrics");
  const validation = validationField(root, store);

  epochs.addEventListener("change", () => {
    const value = Math.round(Number(epochs.value));
    if (Number.isFinite(value) && value >= 1) store.update((d) => (d.epochs = value));
    else epochs.value = String(store.get().epochs);
  });
  lr.addEventListener("change", () => {
    const value = Number(lr.value);
    if (!(value > 0)) {
      lr.value = String(store.get().learningRate);
      return;
    }
    store.update((d) => (d.learningRate = value));
    onLearningRate(value);
  });
  optimizer.addEventListener("change", () => store.update((d) => (d.optimizer = { type: optimizer.value, params: {} })));
  schedule.addEventListener("change", () => store.update((d) => {
    const entry = catalog.schedules.find((s) => s.name === schedule.value);
    if (!entry) {
      d.schedule = null;
      return;
    }
    d.schedule = { type: entry.name, ...defaultsOf(entry) };
    if ("initial_learning_rate" in d.schedule) d.schedule.initial_learning_rate = d.learningRate;
  }));
  loss.addEventListener("change", () => store.update((d) => {
    d.loss = loss.value;
    d.auto.loss = false;
  }));

  function renderOptions() {
    optimizer.replaceChildren(...catalog.optimizers.map((o) => new Option(friendlyName(o.name), o.name)));
    schedule.replaceChildren(new Option(t("settings.scheduleNone"), ""), ...catalog.schedules.map((s) => new Option(s.name, s.name)));
    loss.replaceChildren();
    for (const task of ["classification", "regression"]) {
      const group = document.createElement("optgroup");
      group.label = t(`settings.lossGroup.${task}`);
      for (const entry of catalog.losses.filter((l) => l.task === task)) {
        const option = new Option(friendlyName(entry.name), entry.name);
        option.title = describe("losses", entry);
        group.append(option);
      }
      loss.append(group);
    }
  }

  /** Redraw; `changed` (a set of state keys) limits which forms are rebuilt, to keep focus. */
  function render(changed = null) {
    const all = !changed;
    const state = store.get();
    epochs.value = String(state.epochs);
    lr.value = String(state.learningRate);
    lr.disabled = Boolean(state.schedule);
    lr.title = state.schedule ? t("settings.lrFromSchedule") : "";
    optimizer.value = state.optimizer.type;
    const optEntry = catalog.optimizers.find((o) => o.name === state.optimizer.type);
    optimizer.title = describe("optimizers", optEntry);
    if ((all || changed.has("optimizer")) && optEntry) {
      optimizerForm.replaceChildren();
      optimizerForm.append(buildParamForm(optEntry.params, state.optimizer.params, (name, value) => store.update((d) => {
        if (value === undefined) delete d.optimizer.params[name];
        else d.optimizer.params[name] = value;
      }), catalog, { skip: ["learning_rate"] }));
    }
    schedule.value = state.schedule?.type ?? "";
    scheduleOptions.hidden = !state.schedule;
    const schedEntry = catalog.schedules.find((s) => s.name === state.schedule?.type);
    schedule.title = describe("schedules", schedEntry);
    if (all || changed.has("schedule")) scheduleForm.replaceChildren();
    if ((all || changed.has("schedule")) && schedEntry) {
      scheduleForm.append(buildParamForm(schedEntry.params, state.schedule, (name, value) => store.update((d) => {
        if (value === undefined) delete d.schedule[name];
        else d.schedule[name] = value;
      }), catalog));
    }
    loss.value = state.loss;
    loss.title = describe("losses", catalog.losses.find((l) => l.name === state.loss));

    // Metrics that suit the data set's task, plus any chosen ones (so a mismatch stays visible).
    const task = taskOf(state);
    metrics.replaceChildren();
    for (const entry of catalog.metrics) {
      // MAE and MSE measure numbers: they fit regression, not classes.
      const fits = entry.task === "any" ? task.kind === "regression" : entry.task === task.kind || (entry.task === "binary" && task.binary);
      if (!fits && !state.metrics.includes(entry.name)) continue;
      const label = document.createElement("label");
      label.title = describe("metrics", entry);
      const box = document.createElement("input");
      box.type = "checkbox";
      box.value = entry.name;
      box.checked = state.metrics.includes(entry.name);
      box.dataset.testid = `metric-${entry.name}`;
      box.addEventListener("change", () => store.update((d) => {
        d.metrics = catalog.metrics.map((m) => m.name).filter((n) => (n === entry.name ? box.checked : d.metrics.includes(n)));
        d.auto.metrics = false;
      }));
      label.append(box, ` ${metricName(entry.name)}`);
      metrics.append(label);
    }
  }

  renderOptions();
  store.subscribe((_, changed) => changed.has("validationSplit") && validation.render());
  validation.render();
  return {
    render,
    relabel() {
      renderOptions();
      render();
    },
  };
}
