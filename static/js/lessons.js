// The course as one-click lessons: a menu of the server's presets grouped by the curriculum's
// topics; loading one puts its whole setup into the store (nothing starts until ▶). Its
// explanation stays beside the playground, with the model's answers to the lesson's questions.

import { api } from "./api.js";
import { formatNumber, language, t } from "./i18n.js";
import { createRefresher } from "./refresher.js";
import { applySpec } from "./spec-state.js";
import { addTheoryLessons } from "./theory/menu.js";

const REFRESH_MS = 1500;

export function createLessons({ store, root, presets, catalog, infos, onCompare }) {
  const menu = root.querySelector("#lesson-menu");
  const list = root.querySelector("#lesson-list");
  const box = root.querySelector("#lesson");
  const title = root.querySelector("#lesson-title");
  const text = root.querySelector("#lesson-text");
  const predictions = root.querySelector("#lesson-predictions");
  const compareButton = root.querySelector("#lesson-compare");
  const byId = new Map(presets.map((p) => [p.id, p]));
  const items = [];
  let outputs = null; // the model's answers to the current lesson's inputs

  const topics = [...new Set(presets.map((p) => p.topic))].sort((a, b) => a - b);
  for (const topic of topics) {
    const group = document.createElement("section");
    const heading = document.createElement("h4");
    heading.dataset.i18n = `lessons.topic.${topic}`;
    const ul = document.createElement("ul");
    for (const preset of presets.filter((p) => p.topic === topic)) {
      const li = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.dataset.testid = `preset-${preset.id}`;
      button.addEventListener("click", () => {
        load(preset);
        menu.open = false;
      });
      items.push({ button, preset });
      li.append(button);
      ul.append(li);
    }
    group.append(heading, ul);
    list.append(group);
  }
  addTheoryLessons(list, () => (menu.open = false)).catch(() => {}); // the theory figures, after the exercises
  root.querySelector("#lesson-close").addEventListener("click", () => store.update((d) => (d.lesson = null)));
  // A lesson that compares two setups: its second setup is loaded, then both train side by side.
  compareButton.addEventListener("click", () => {
    const { preset } = current();
    if (!preset?.compare) return;
    load(preset, preset.compare);
    onCompare(preset);
  });

  /** The preset's data, network and settings in the store; the run (if any) is reset by main. */
  function load(preset, spec = preset.spec) {
    store.update((d) => {
      applySpec(d, spec, catalog);
      const info = infos.get(spec.dataset.name);
      if (spec.dataset.train_ratio == null) d.dataset.train_ratio = info?.default_train_ratio ?? 0.5;
      d.lesson = preset.id;
    });
    outputs = null;
    render();
  }

  const current = () => {
    const preset = byId.get(store.get().lesson);
    // The questions only make sense while the lesson's data set is the one in use.
    return { preset, asks: preset?.predict && store.get().dataset.name === preset.spec.dataset.name ? preset.predict : null };
  };

  function answer(output, info) {
    if (!output) return "—";
    if (info?.task !== "classification") {
      // Several targets (H(X) = XW with W of shape [features, targets]): each value, named.
      const names = info?.target_names ?? [];
      return names.length ? names.map((name, k) => `${name} ${formatNumber(output[k])}`).join(", ") : formatNumber(output[0]);
    }
    const probs = output.length === 1 ? [1 - output[0], output[0]] : output;
    const best = probs.indexOf(Math.max(...probs));
    const name = info.class_names?.[best] ?? String(best);
    return t("lessons.classAnswer", { name, p: formatNumber(probs[best], 3) });
  }

  function renderTable(asks) {
    predictions.replaceChildren();
    predictions.hidden = !asks;
    if (!asks) return;
    const info = infos.get(store.get().dataset.name);
    const caption = document.createElement("caption");
    caption.textContent = t("lessons.predictions");
    const head = document.createElement("tr");
    for (const label of [t("lessons.input"), t("lessons.output")]) {
      const th = document.createElement("th");
      th.textContent = label;
      head.append(th);
    }
    const body = asks.map((inputs, i) => {
      const tr = document.createElement("tr");
      const a = document.createElement("td");
      a.textContent = inputs.map((v) => formatNumber(v)).join(", ");
      const b = document.createElement("td");
      b.className = "num";
      b.dataset.testid = `lesson-output-${i}`;
      b.textContent = answer(outputs?.[i], info);
      tr.append(a, b);
      return tr;
    });
    const thead = document.createElement("thead");
    thead.append(head);
    const tbody = document.createElement("tbody");
    tbody.append(...body);
    predictions.append(caption, thead, tbody);
  }

  function render() {
    const lang = language();
    const { preset, asks } = current();
    box.hidden = !preset;
    compareButton.hidden = !preset?.compare;
    compareButton.textContent = t("lessons.compare");
    for (const { button, preset: p } of items) {
      button.textContent = p.title[lang] ?? p.title.en;
      button.classList.toggle("current", p === preset);
    }
    menu.querySelector("summary").textContent = t("lessons.menu");
    if (!preset) return;
    title.textContent = preset.title[lang] ?? preset.title.en;
    text.textContent = preset.description[lang] ?? preset.description.en;
    renderTable(asks);
  }

  const refresher = createRefresher(async (id) => {
    const { asks } = current();
    if (!asks) return;
    const answer = await api.predict(id, asks);
    if (current().asks === asks) {
      outputs = answer.outputs;
      renderTable(asks);
    }
  }, REFRESH_MS);

  /** After a frame: ask the model the lesson's questions when the run pauses or ends, and now and then while it trains. */
  function follow(run) {
    const { preset, asks } = current();
    if (!run && outputs) {
      outputs = null;
      refresher.forget();
      renderTable(asks);
    }
    // The run made before the lesson's own (its data set's rows differ) is not asked the lesson's questions.
    if (asks) refresher.follow(run?.spec?.dataset?.name === preset.spec.dataset.name ? run : null);
  }

  return {
    render,
    follow,
    /** The figures the current lesson shows beside the run (its preset's `views`, e.g. "gradients"). */
    get views() {
      return current().preset?.views ?? [];
    },
    /** Load lesson `id`'s whole setup (a lesson link, `/?lesson=<id>`); false if there is none. */
    loadById(id) {
      const preset = byId.get(id);
      if (preset) load(preset);
      return Boolean(preset);
    },
  };
}
