// The page's words, in English and Korean, read from one locale file per language
// (static/locales/<lang>.json: UI strings, parameter labels, names, error templates by code, and
// the catalog's Korean descriptions). Keras names (Dense, relu, SGD…) are identifiers and stay
// as they are; everything said about them is translated.

export const LANGUAGES = ["en", "ko"];

/** @type {Record<string, any>} each language's locale file, loaded once before any module uses t() */
export const locales = Object.fromEntries(await Promise.all(LANGUAGES.map(async (lang) => {
  const response = await fetch(new URL(`../locales/${lang}.json`, import.meta.url));
  return [lang, await response.json()];
})));

const section = (name) => locales[current]?.[name] ?? {};

export function datasetName(name) {
  return section("datasetNames")[name] ?? name;
}

/** "Friendly name (keras_name)": the page's words first, the Keras identifier beside them. */
export function friendlyName(name) {
  const friendly = section("friendlyNames")[name] ?? locales.en.friendlyNames[name];
  return friendly && friendly !== name ? `${friendly} (${name})` : name;
}

const listeners = new Set();
let current = "en";

export function browserLanguage() {
  return (navigator.languages?.[0] || navigator.language || "en").toLowerCase().startsWith("ko") ? "ko" : "en";
}

export function language() {
  return current;
}

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : "en";
  document.documentElement.lang = current;
  for (const listener of listeners) listener(current);
}


export function onLanguage(listener) {
  listeners.add(listener);
}

/** The string `key` in the page's language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const text = section("strings")[key] ?? locales.en.strings[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function paramLabel(name) {
  return section("params")[name] ?? locales.en.params[name] ?? name.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

/** What a catalog entry does, in the page's language ("" when there is no translation). */
export function describe(family, entry) {
  if (current === "en") return entry?.description ?? "";
  return section("descriptions")[family]?.[entry?.name] ?? "";
}

export function metricName(name) {
  return section("metricNames")[name] ?? name;
}

/** Fill every [data-i18n] text and [data-i18n-attr="attr:key;…"] attribute under `root`.
 * @param {Document | HTMLElement} [root] */
export function translateTree(root = document) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n]"))) el.textContent = t(el.dataset.i18n);
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll("[data-i18n-attr]"))) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      el.setAttribute(attr, t(key));
    }
  }
}

/** A number as a person reads it: few digits, no exponent for everyday sizes. */
export function formatNumber(value, digits = 4) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(digits)).toString();
}
