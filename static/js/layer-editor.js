// The layer palette and the layer stack: drag (SortableJS) or press to add, reorder and remove;
// press a layer to edit its parameters in a form generated from the catalog. It redraws the stack
// whenever the store's layers change, and itself in a new language.

import Sortable from "/static/node_modules/sortablejs/modular/sortable.core.esm.js";
import { renderErrors } from "./errors.js";
import { describe, onLanguage, t } from "./i18n.js";
import { buildParamForm } from "./param-form.js";

const HEADLINE = ["units", "filters", "rate", "stddev", "target_shape", "kernel_size", "pool_size", "activation"];

function headline(layer, entry) {
  const parts = [];
  for (const name of HEADLINE) {
    const param = entry?.params.find((p) => p.name === name);
    if (!param) continue;
    const value = layer[name] ?? param.default;
    if (value === null || value === undefined) continue;
    parts.push(Array.isArray(value) ? value.join("×") : String(value));
  }
  return parts.join(" · ");
}

/** A new layer of `type` with the catalog's required values (and tanh for a hidden Dense). */
function newLayer(entry) {
  const layer = { type: entry.name };
  for (const p of entry.params) if (p.required && p.default !== null) layer[p.name] = structuredClone(p.default);
  if (entry.name === "Dense") Object.assign(layer, { units: 4, activation: "tanh" });
  if (entry.name === "Reshape") layer.target_shape = [2, 1];
  return layer;
}

const BASIC = new Set(["Dense", "Activation", "Dropout"]);
const PICTURE_LAYERS = new Set(["Conv2D", "MaxPooling2D", "AveragePooling2D"]); // they take pictures, not vectors
const FLATTENING = new Set(["Flatten", "GlobalAveragePooling2D"]); // pictures in, a vector out

export function createLayerEditor({ store, catalog, palette, stack, announce }) {
  const entries = new Map(catalog.layers.map((e) => [e.name, e]));
  let selected = -1;
  let focusAfter = null; // [index, role]: which control to focus once the stack is redrawn

  function changeLayers(change, { manualOutput = false } = {}) {
    store.update((draft) => {
      change(draft.layers);
      if (manualOutput) draft.auto.output = false;
    });
  }

  /** Where a pressed layer goes: before the output layer, like TF Playground's "+"; a layer of
   * pictures (Conv2D, pooling) before the Flatten that turns them into a vector, if there is one. */
  function pressedIndex(type, layers) {
    const flatten = PICTURE_LAYERS.has(type) ? layers.findIndex((l) => FLATTENING.has(l.type)) : -1;
    return flatten >= 0 ? flatten : Math.max(0, layers.length - 1);
  }

  function insert(type, index) {
    const entry = entries.get(type);
    changeLayers((layers) => layers.splice(index, 0, newLayer(entry)));
    selected = -1;
    announce(t("network.added", { name: type, index: index + 1 }));
  }

  // --- palette -----------------------------------------------------------------------------
  // A beginner's layers first; the rest (normalisation, noise, images) one click away.
  const advanced = document.createElement("div");
  advanced.className = "palette palette-advanced";
  advanced.id = "palette-advanced";
  advanced.hidden = true;
  const more = document.createElement("button");
  more.type = "button";
  more.className = "palette-more";
  more.dataset.testid = "palette-more";
  more.setAttribute("aria-expanded", "false");
  more.setAttribute("aria-controls", advanced.id);
  more.addEventListener("click", () => showAdvanced(advanced.hidden));
  palette.after(more, advanced);

  function showAdvanced(open) {
    advanced.hidden = !open;
    more.setAttribute("aria-expanded", String(open));
    more.textContent = t(open ? "network.fewerLayers" : "network.moreLayers", { n: advanced.children.length });
  }

  function renderPalette() {
    palette.replaceChildren();
    advanced.replaceChildren();
    for (const entry of catalog.layers) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "palette-item";
      item.dataset.testid = `palette-${entry.name}`;
      item.dataset.type = entry.name;
      item.textContent = entry.name;
      item.title = describe("layers", entry);
      item.addEventListener("click", () => insert(entry.name, pressedIndex(entry.name, store.get().layers)));
      (BASIC.has(entry.name) ? palette : advanced).append(item);
    }
    showAdvanced(!advanced.hidden);
  }

  for (const box of [palette, advanced]) Sortable.create(box, { group: { name: "layers", pull: "clone", put: false }, sort: false, animation: 120 });
  Sortable.create(stack, {
    group: { name: "layers", pull: false, put: true },
    animation: 120,
    handle: ".layer-head, .grip",
    onAdd(event) {
      const type = event.item.dataset.type;
      event.item.remove();
      if (type && entries.has(type)) insert(type, Math.min(event.newIndex, store.get().layers.length));
    },
    onEnd(event) {
      if (event.from !== stack || event.oldIndex === event.newIndex) return;
      const { oldIndex, newIndex } = event;
      selected = -1;
      changeLayers((layers) => layers.splice(newIndex, 0, ...layers.splice(oldIndex, 1)));
    },
  });

  // --- stack -------------------------------------------------------------------------------
  function actionButton(label, symbol, role, onClick, disabled) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `icon ${role}`;
    button.dataset.role = role;
    button.textContent = symbol;
    button.title = label;
    button.setAttribute("aria-label", label);
    button.disabled = disabled;
    button.addEventListener("click", onClick);
    return button;
  }

  function renderStack() {
    const { layers } = store.get();
    stack.replaceChildren();
    if (!layers.length) {
      const empty = document.createElement("li");
      empty.className = "empty";
      empty.textContent = t("network.empty");
      stack.append(empty);
    }
    layers.forEach((layer, index) => {
      const entry = entries.get(layer.type);
      const card = document.createElement("li");
      card.className = "layer-card";
      card.dataset.testid = `layer-${index}`;
      card.dataset.type = layer.type;
      if (index === selected) card.classList.add("selected");

      const row = document.createElement("div");
      row.className = "layer-row";
      const grip = document.createElement("span");
      grip.className = "grip";
      grip.setAttribute("aria-hidden", "true");
      grip.textContent = "⠿";
      const head = document.createElement("button");
      head.type = "button";
      head.className = "layer-head";
      head.dataset.role = "head";
      head.setAttribute("aria-expanded", String(index === selected));
      head.setAttribute("aria-label", t("network.edit", { name: layer.type }));
      head.title = describe("layers", entry);
      const name = document.createElement("span");
      name.className = "layer-type";
      name.textContent = layer.type;
      const info = document.createElement("span");
      info.className = "layer-info";
      info.textContent = headline(layer, entry);
      head.append(name, info);
      head.addEventListener("click", () => {
        selected = selected === index ? -1 : index;
        focusAfter = [index, "head"];
        renderStack();
      });

      const actions = document.createElement("span");
      actions.className = "layer-actions";
      const move = (to, role) => () => {
        focusAfter = [to, role];
        if (selected === index) selected = to;
        changeLayers((ls) => ls.splice(to, 0, ...ls.splice(index, 1)));
      };
      actions.append(
        actionButton(t("network.moveUp"), "↑", "up", move(index - 1, "up"), index === 0),
        actionButton(t("network.moveDown"), "↓", "down", move(index + 1, "down"), index === layers.length - 1),
        actionButton(t("network.remove"), "✕", "remove", () => {
          selected = -1;
          focusAfter = [Math.max(0, index - 1), "head"];
          changeLayers((ls) => ls.splice(index, 1));
        }, false),
      );
      row.append(grip, head, actions);
      card.append(row);

      const slot = document.createElement("div");
      slot.className = "error-slot";
      slot.dataset.errorSlot = `layer-${index}`;
      card.append(slot);

      if (index === selected && entry) {
        const form = buildParamForm(entry.params, layer, (param, value) => {
          focusAfter = [index, `param:${param}`];
          const isOutput = index === store.get().layers.length - 1 && (param === "units" || param === "activation");
          changeLayers((ls) => {
            if (value === undefined) delete ls[index][param];
            else ls[index][param] = value;
          }, { manualOutput: isOutput });
        }, catalog);
        form.classList.add("layer-form");
        const text = describe("layers", entry);
        if (text) {
          const note = document.createElement("p");
          note.className = "hint";
          note.textContent = text;
          form.prepend(note);
        }
        card.append(form);
      }
      stack.append(card);
    });
    renderErrors();
    if (focusAfter) {
      const [i, role] = focusAfter;
      focusAfter = null;
      const card = `[data-testid="layer-${i}"]`;
      const target = role.startsWith("param:")
        ? stack.querySelector(`${card} [data-param="${role.slice(6)}"] :is(input, select)`)
        : stack.querySelector(`${card} [data-role="${role}"]`);
      (target && !target.disabled ? target : stack.querySelector(`[data-testid="layer-${i}"] .layer-head`))?.focus();
    }
  }

  renderPalette();
  renderStack();
  // It follows the store's layers and the page's language by itself (the class's rules, which
  // are not the store's, are told by render()).
  store.subscribe((_state, changed) => changed.has("layers") && renderStack());
  onLanguage(() => {
    renderPalette();
    renderStack();
  });
  return {
    /** Open (or close) the advanced layers: image data opens them, for Conv2D and pooling. */
    showAdvanced,
    render() {
      renderPalette();
      renderStack();
    },
    renderStack,
  };
}
