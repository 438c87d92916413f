// The classroom's controls a teacher may hide (the `?hide=` keys), named in each language; the
// words themselves live in the locale files with the rest of the page's texts.

import { LANGUAGES, locales } from "./i18n.js";

/** {lang: {hide key: label}} */
export const HIDEABLE = Object.fromEntries(LANGUAGES.map((lang) => [lang, locales[lang].controls]));
