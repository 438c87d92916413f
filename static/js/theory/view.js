// One theory lesson's view: a dialog with its title, its explanation and its figure, in the page's language.

import { language, onLanguage } from "../i18n.js";
import { FIGURES } from "./figures.js";

let dialog = null;

function ensureDialog() {
  if (dialog) return dialog;
  dialog = document.createElement("dialog");
  dialog.className = "theory-view";
  dialog.dataset.testid = "theory-view";
  dialog.innerHTML = `
    <header><h2 data-testid="theory-title"></h2><button type="button" class="theory-close" data-testid="theory-close">✕</button></header>
    <p class="theory-text" data-testid="theory-text"></p>
    <div class="theory-figure" data-testid="theory-figure"></div>`;
  dialog.querySelector(".theory-close").addEventListener("click", () => dialog.close());
  const style = document.createElement("style");
  style.textContent = `
    .theory-view { width: min(1100px, 96vw); max-height: 94vh; border: 1px solid #d1d5db; border-radius: 10px; padding: 16px 20px; }
    .theory-view header { display: flex; justify-content: space-between; align-items: center; gap: 12px; }
    .theory-view h2 { margin: 0; font-size: 1.25rem; }
    .theory-view .theory-text { line-height: 1.5; max-width: 75ch; }
    .theory-figure .controls { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; margin: 8px 0; }
    .theory-figure .plots { display: flex; flex-wrap: wrap; gap: 16px; }
    .theory-figure svg { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; }
    .theory-figure table { border-collapse: collapse; margin: 6px 0; font-variant-numeric: tabular-nums; }
    .theory-figure td, .theory-figure th { border: 1px solid #e5e7eb; padding: 2px 8px; text-align: right; }
    .theory-figure .formula { font-family: ui-monospace, monospace; font-size: 1.05rem; margin: 6px 0; }`;
  document.head.append(style);
  document.body.append(dialog);
  return dialog;
}

let shown = null; // the lesson on view

function renderText() {
  if (!dialog || !shown) return;
  const lang = language();
  dialog.querySelector("h2").textContent = shown.title[lang] ?? shown.title.en;
  dialog.querySelector(".theory-text").textContent = shown.description[lang] ?? shown.description.en;
}
onLanguage(renderText);

export function openTheory(lesson) {
  const view = ensureDialog();
  const figure = view.querySelector(".theory-figure");
  shown = lesson;
  renderText();
  figure.replaceChildren();
  figure.dataset.figure = lesson.figure;
  FIGURES[lesson.figure]?.(figure, lesson);
  if (!view.open) view.showModal();
}
