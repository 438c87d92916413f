// A form generated from a catalog entry's `params`: one control per parameter, by its type.

import { describe, paramLabel, t } from "./i18n.js";

let uid = 0;

function parseNumberList(text, integer) {
  const parts = text.split(",").map((s) => s.trim()).filter(Boolean);
  if (!parts.length) return undefined;
  const values = parts.map(Number);
  return values.map((v, i) => (Number.isFinite(v) ? (integer ? Math.round(v) : v) : parts[i]));
}

function numberControl(param, value, onChange) {
  const input = document.createElement("input");
  input.type = "number";
  input.step = param.type === "integer" ? "1" : "any";
  if (param.minimum !== null && param.minimum !== undefined) input.min = String(param.minimum);
  if (param.maximum !== null && param.maximum !== undefined) input.max = String(param.maximum);
  input.value = value ?? param.default ?? "";
  if (value === undefined && param.default === null) input.placeholder = t("param.default");
  // Out-of-range numbers go to the server on purpose: its explanation is the lesson.
  input.addEventListener("change", () => {
    const text = input.value.trim();
    onChange(text === "" ? undefined : Number(text));
  });
  return input;
}

function choiceControl(choices, value, onChange, { none = false, family = "" } = {}) {
  const select = document.createElement("select");
  if (none) select.append(new Option(t("param.none"), ""));
  for (const choice of choices) {
    const option = new Option(choice, choice);
    const text = describe(family, { name: choice, description: "" });
    if (text) option.title = text;
    select.append(option);
  }
  select.value = value ?? "";
  select.addEventListener("change", () => onChange(select.value || undefined));
  return select;
}

function textListControl(param, value, onChange) {
  const input = document.createElement("input");
  input.type = "text";
  input.inputMode = "decimal";
  const shown = value ?? param.default;
  input.value = Array.isArray(shown) ? shown.join(", ") : shown ?? "";
  input.placeholder = param.type === "int_or_pair" ? t("param.pairHint") : t("param.listHint");
  input.addEventListener("change", () => {
    const list = parseNumberList(input.value, param.type !== "number_list");
    if (param.type === "int_or_pair") onChange(list && list.length === 1 ? list[0] : list);
    else onChange(list);
  });
  return input;
}

function regularizerControl(param, value, onChange, catalog) {
  const box = document.createElement("div");
  box.className = "regularizer";
  const names = param.options ?? catalog.regularizers.map((r) => r.name);
  const select = choiceControl(names, value?.type, (type) => {
    if (!type) return onChange(undefined);
    const entry = catalog.regularizers.find((r) => r.name === type);
    const fresh = { type };
    for (const p of entry?.params ?? []) if (p.default !== null && p.default !== undefined) fresh[p.name] = p.default;
    onChange(fresh);
  }, { none: true, family: "regularizers" });
  box.append(select);
  const entry = value && catalog.regularizers.find((r) => r.name === value.type);
  if (entry) {
    box.append(buildParamForm(entry.params, value, (name, v) => {
      const next = { ...value };
      if (v === undefined) delete next[name];
      else next[name] = v;
      onChange(next);
    }, catalog, { compact: true }));
  }
  return box;
}

/**
 * A form for `params` showing `values`; `onChange(name, value)` gets `undefined` for "default".
 * `skip` lists parameter names handled elsewhere (such as learning_rate).
 */
export function buildParamForm(params, values, onChange, catalog, { skip = [], compact = false } = {}) {
  const form = document.createElement("div");
  form.className = compact ? "param-form compact" : "param-form";
  for (const param of params) {
    if (skip.includes(param.name) || param.type === "number_or_schedule") continue;
    const id = `param-${++uid}`;
    const row = document.createElement("div");
    row.className = "param-row";
    row.dataset.param = param.name;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = paramLabel(param.name);
    const value = values[param.name];
    const set = (v) => onChange(param.name, v);
    let control;
    switch (param.type) {
      case "integer":
      case "number":
        control = numberControl(param, value, set);
        break;
      case "boolean": {
        control = document.createElement("input");
        control.type = "checkbox";
        control.checked = Boolean(value ?? param.default);
        control.addEventListener("change", () => set(control.checked));
        row.classList.add("checkbox");
        break;
      }
      case "choice":
        control = choiceControl(param.choices ?? [], value ?? param.default, set, {
          none: param.nullable, family: param.choices_from ?? "",
        });
        break;
      case "object":
        control = regularizerControl(param, value, set, catalog);
        break;
      case "string": // a layer's own name: empty leaves it to Keras
        control = document.createElement("input");
        control.type = "text";
        control.value = value ?? "";
        control.addEventListener("change", () => set(control.value.trim() || undefined));
        break;
      default:
        control = textListControl(param, value, set);
    }
    const target = control.matches?.("input, select") ? control : control.querySelector("select");
    if (target) target.id = id;
    row.append(label, control);
    form.append(row);
  }
  return form;
}
