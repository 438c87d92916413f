// The run as plain Keras: code.py (Sequential or functional) with syntax highlighting and a copy
// button, model.summary()'s printout and the model diagram. Fetched only while the view is open.

import hljs from "/static/node_modules/@highlightjs/cdn-assets/es/core.min.js";
import python from "/static/node_modules/@highlightjs/cdn-assets/es/languages/python.min.js";
import { api, runFileUrl } from "./api.js";
import { onLanguage, t } from "./i18n.js";

hljs.registerLanguage("python", python);

export function createCodeView({ root }) {
  const panel = root.querySelector("#code-panel");
  const body = root.querySelector("#code-body");
  const note = root.querySelector("#code-note");
  const code = root.querySelector("#code-text");
  const summary = root.querySelector("#summary-text");
  const diagram = root.querySelector("#model-svg");
  const copyButton = root.querySelector("#copy-code");
  const copyStatus = root.querySelector("#copy-status");
  let runId = null;
  let loaded = ""; // `${id}|${style}` of what is shown
  let text = ""; // the code as fetched, for the copy button
  let copyKey = "";

  const style = () => root.querySelector("input[name=code-style]:checked")?.value ?? "sequential";

  /** Put `content` in `el` as plain text, or the "not available" line on failure. */
  function fill(el, promise, onText) {
    el.textContent = t("code.loading");
    el.classList.add("loading");
    return promise.then(onText, (error) => {
      el.textContent = error.status === 404 ? t("code.unavailable") : error.message;
      return null;
    }).finally(() => el.classList.remove("loading"));
  }

  function load() {
    if (!panel.open || !runId) return;
    const key = `${runId}|${style()}`;
    if (key === loaded) return;
    const sameRun = loaded.startsWith(`${runId}|`);
    loaded = key;
    text = "";
    const query = style() === "functional" ? { style: "functional" } : {};
    fill(code, api.runText(runId, "code.py", query), (source) => {
      if (loaded !== key) return;
      text = source;
      code.innerHTML = hljs.highlight(source, { language: "python" }).value; // escaped by highlight.js
      code.dataset.highlighted = "yes";
    });
    if (sameRun) return; // only the code depends on the style
    fill(summary, api.runText(runId, "summary.txt"), (printout) => {
      if (loaded.startsWith(`${runId}|`)) summary.textContent = printout;
    });
    diagram.hidden = false;
    diagram.src = runFileUrl(runId, "model.svg");
  }

  async function copy() {
    if (!text) return;
    try {
      await navigator.clipboard.writeText(text);
      copyKey = "code.copied";
    } catch {
      // No clipboard permission: select the code, so the student can press Ctrl+C.
      getSelection()?.selectAllChildren(code);
      copyKey = document.execCommand?.("copy") ? "code.copied" : "code.copyFailed";
    }
    copyStatus.textContent = t(copyKey);
    setTimeout(() => {
      copyKey = "";
      copyStatus.textContent = "";
    }, 2500);
  }

  panel.addEventListener("toggle", load);
  for (const input of root.querySelectorAll("input[name=code-style]")) input.addEventListener("change", load);
  copyButton.addEventListener("click", copy);
  diagram.addEventListener("error", () => (diagram.hidden = true));

  const view = {
    setRun(id) {
      if (id === runId) return;
      runId = id;
      body.hidden = !id;
      note.hidden = Boolean(id);
      if (!id) {
        loaded = "";
        text = "";
        code.replaceChildren();
        summary.replaceChildren();
        diagram.removeAttribute("src");
      }
      load();
    },
    relabel() {
      copyStatus.textContent = copyKey ? t(copyKey) : "";
    },
  };
  onLanguage(() => view.relabel()); // redrawn in a new language by itself
  return view;
}
