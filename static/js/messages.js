// What the server says, in the page's language: every error and warning the API returns is
// {field, code, params, message}, and each locale file has one template per code ("errors"),
// filled from params. Without a template (an old server, a message without a code) the English
// message is shown in English; in Korean a Korean lead-in with the server's words folded away.

import { language, locales, t } from "./i18n.js";

const shown = (value) => (Array.isArray(value) ? value.join(", ") : String(value));

/** The template for `code` in the page's language, or null. */
export function template(code, lang = language()) {
  return locales[lang]?.errors?.[code] ?? null;
}

/** An issue's sentence in the page's language: {text, original} (`original`: the server's words, when untranslated). */
export function localize(issue) {
  const { code, params = {}, message = "" } = typeof issue === "string" ? { message: issue } : issue ?? {};
  const found = code ? template(code) : null;
  if (found) return { text: found.replace(/\{(\w+)\}/g, (_, name) => (name in params ? shown(params[name]) : `{${name}}`)), original: "" };
  if (language() === "en") return { text: message, original: "" };
  return { text: t("error.untranslated"), original: message };
}

/** An API issue ({field, code, params, message}) as a sentence in the page's language. */
export function messageText(issue) {
  const { text, original } = localize(issue);
  return original ? `${text} (${original})` : text;
}

/** Build the element that shows a server message (with the original folded away when needed). */
export function messageElement(issue, { lead = "", testid = "", translated = false } = {}) {
  const { text, original } = translated ? { text: String(issue), original: "" } : localize(issue);
  const box = document.createElement("div");
  box.className = "message";
  box.setAttribute("role", "alert");
  if (testid) box.dataset.testid = testid;
  const line = document.createElement("span");
  line.textContent = lead ? `${lead} ${text}` : text;
  box.append(line);
  if (original) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = t("error.original");
    const code = document.createElement("code");
    code.textContent = original;
    details.append(summary, code);
    box.append(details);
  }
  return box;
}
