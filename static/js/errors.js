// Where the server's complaints appear: each one next to what it is about (a layer, the loss, …),
// found from its field path. The first one shown carries data-testid="error-message".

import { paramLabel, t } from "./i18n.js";
import { messageElement } from "./messages.js";

const sources = new Map(); // source name -> [{field, message, kind}]

/** The slot an error belongs in, and a short lead naming the part at fault. */
function place(field) {
  const layer = /^model\.layers\[(\d+)\](?:\.(\w+))?/.exec(field);
  if (layer) return { slot: `layer-${layer[1]}`, lead: layer[2] ? `${paramLabel(layer[2])}:` : "" };
  const node = /^model\.graph\.nodes\[(\d+)\](?:\.layer\.(\w+))?/.exec(field);
  if (node) return { slot: `graph-node-${node[1]}`, lead: node[2] ? `${paramLabel(node[2])}:` : "" };
  if (field.startsWith("model.graph")) return { slot: "graph", lead: "" };
  if (field.startsWith("model")) return { slot: "stack", lead: "" };
  if (field.startsWith("compile.loss")) return { slot: "loss", lead: "" };
  if (field.startsWith("compile.metrics")) return { slot: "metrics", lead: "" };
  if (field.startsWith("compile.optimizer") || field === "learning_rate") return { slot: "optimizer", lead: "" };
  if (field.startsWith("dataset") || field.startsWith("fit")) return { slot: "dataset", lead: "" };
  return { slot: "general", lead: "" };
}

export function setErrors(source, errors) {
  sources.set(source, errors);
  renderErrors();
}

export function hasErrors(source) {
  return (sources.get(source) ?? []).some((e) => e.kind !== "warning");
}

/** Redraw every message into its slot (call again after re-rendering a part holding slots). */
export function renderErrors() {
  const slots = new Map([.../** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-error-slot]"))].map((el) => [el.dataset.errorSlot, el]));
  for (const el of slots.values()) el.replaceChildren();
  const seen = new Set();
  let first = true;
  for (const errors of sources.values()) {
    for (const error of errors) {
      const key = `${error.field}|${error.key ?? error.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const { slot, lead } = place(error.field ?? "");
      const target = slots.get(slot) ?? slots.get("general");
      if (!target) continue;
      const isWarning = error.kind === "warning";
      const testid = !isWarning && first ? "error-message" : isWarning ? "warning-message" : "";
      if (!isWarning) first = false;
      // A page's own message ({key, vars}) is already in the page's language; the server's is localized.
      const text = error.key ? t(error.key, error.vars) : error;
      const box = messageElement(text, { lead: isWarning ? `${t("warning.lead")} ${lead}`.trim() : lead, testid, translated: Boolean(error.key) });
      box.classList.add(isWarning ? "warning" : "error");
      target.append(box);
    }
  }
}
