// The student's own data: a CSV file or pasted CSV text with a header row. The page reads the
// header to offer the label column and guesses the task; the server checks and stores it
// (POST /api/datasets), and the new data set joins the list, selected.

import { api } from "./api.js";
import { onLanguage, t } from "./i18n.js";
import { messageText } from "./messages.js";

const MAX_CLASSES = 20; // more distinct whole numbers than this reads as a number to predict

function parse(text) {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/).filter((line) => line.trim());
  const split = (line) => line.split(",").map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"));
  return { header: lines.length ? split(lines[0]) : [], rows: lines.slice(1).map(split) };
}

/** Classification when the label holds words or a few whole numbers; otherwise regression. */
export function inferTask(values) {
  const numeric = values.every((v) => v !== "" && Number.isFinite(Number(v)));
  if (!numeric) return { task: "classification", classes: [...new Set(values)].sort() };
  const distinct = [...new Set(values.map(Number))].sort((a, b) => a - b);
  if (distinct.every(Number.isInteger) && distinct.length <= MAX_CLASSES) return { task: "classification", classes: distinct.map(String) };
  return { task: "regression", classes: [] };
}

export function createOwnData({ root, onCreated }) {
  const fileInput = root.querySelector("#csv-file");
  const paste = root.querySelector("#csv-text");
  const label = root.querySelector("#csv-label");
  const task = root.querySelector("#csv-task");
  const guess = root.querySelector("#csv-guess");
  const submit = root.querySelector("#csv-submit");
  const status = root.querySelector("#csv-status");
  let source = null; // {file} or {text}
  let table = { header: [], rows: [] };
  let message = null; // [key, vars] or a server message

  async function read() {
    const file = fileInput.files?.[0];
    if (file) {
      source = { file };
      paste.value = "";
      table = parse(await file.text());
    } else {
      source = paste.value.trim() ? { text: paste.value } : null;
      table = parse(paste.value);
    }
    const previous = label.value;
    label.replaceChildren(...table.header.map((name) => new Option(name, name)));
    label.value = table.header.includes(previous) ? previous : table.header.at(-1) ?? "";
    message = null;
    render();
  }

  function inferred() {
    const column = table.header.indexOf(label.value);
    if (column < 0 || !table.rows.length) return null;
    return inferTask(table.rows.map((row) => row[column] ?? ""));
  }

  function render() {
    const found = inferred();
    for (const option of task.options) option.textContent = t(`own.task.${option.value || "auto"}`, { task: found ? t(`own.kind.${found.task}`) : "—" });
    guess.textContent = !found ? ""
      : found.task === "classification" ? t("own.guessClasses", { n: found.classes.length, names: found.classes.slice(0, 6).join(", ") })
        : t("own.guessRegression");
    submit.disabled = !source || !label.value;
    status.textContent = !message ? "" : Array.isArray(message) ? t(...message) : message;
  }

  fileInput.addEventListener("change", read);
  paste.addEventListener("input", () => {
    if (paste.value) fileInput.value = "";
    read();
  });
  label.addEventListener("change", render);
  submit.addEventListener("click", async () => {
    submit.disabled = true;
    message = ["own.sending"];
    render();
    try {
      const info = await api.uploadDataset({ ...source, label: label.value, task: task.value || undefined });
      message = ["own.created", { rows: info.rows ?? "?" }];
      onCreated(info);
    } catch (error) {
      message = (error.errors ?? []).map((e) => (e.field ? `${e.field}: ${messageText(e)}` : messageText(e))).join(" · ") || error.message;
    }
    render();
  });

  onLanguage(render); // redrawn in a new language by itself
  return { render };
}
