// A class's rules on the student's page: hidden controls, only the allowed data sets and
// layers, and the class's maximum units and epochs as input limits (the server enforces
// them too; the page only keeps students from choosing what would be refused).

const UNIT_PARAMS = ["units", "filters"];

export function createClassRules({ root, store, catalog }) {
  let rules = {};
  let extra = new Set(); // the class's challenge data sets: always allowed
  const maxima = new Map(); // the catalog's own limits, to put back when a rule goes
  for (const entry of catalog.layers) {
    for (const param of entry.params) if (UNIT_PARAMS.includes(param.name)) maxima.set(param, param.maximum);
  }

  // A challenge's data set belongs to its class: shown only while in that class.
  const dataAllowed = (name) => extra.has(name) || (!name.startsWith("challenge_") && (!rules.datasets || rules.datasets.includes(name)));
  const layerAllowed = (name) => !rules.layers || rules.layers.includes(name);

  function filterLists() {
    for (const button of root.querySelectorAll("#datasets [data-testid^='dataset-']")) {
      const hide = !dataAllowed(button.dataset.testid.slice("dataset-".length));
      if (button.hidden !== hide) button.hidden = hide;
    }
    for (const group of root.querySelectorAll("#datasets .dataset-group")) {
      const empty = ![...group.querySelectorAll("button.dataset")].some((b) => !b.hidden);
      if (empty !== group.classList.contains("no-allowed")) group.classList.toggle("no-allowed", empty);
    }
    for (const item of root.querySelectorAll("#palette [data-testid^='palette-'], #palette-advanced [data-testid^='palette-']")) {
      const hide = !layerAllowed(item.dataset.testid.slice("palette-".length));
      if (item.hidden !== hide) item.hidden = hide;
    }
    // The graph editor's palette (layers and merges) by the same list.
    for (const item of root.querySelectorAll("#graph-palette [data-type]")) {
      const hide = !layerAllowed(item.dataset.type);
      if (item.hidden !== hide) item.hidden = hide;
    }
  }
  const observer = new MutationObserver(filterLists);
  observer.observe(root.querySelector("#datasets"), { childList: true, subtree: true });
  observer.observe(root.querySelector("#palette"), { childList: true });
  const advanced = root.querySelector("#palette-advanced");
  if (advanced) observer.observe(advanced, { childList: true });
  const graphPalette = root.querySelector("#graph-palette");
  if (graphPalette) observer.observe(graphPalette, { childList: true });

  function limitInputs() {
    const epochs = root.querySelector("#epochs");
    if (rules.max_epochs) epochs.max = String(rules.max_epochs);
    else epochs.removeAttribute("max");
    for (const [param, maximum] of maxima) param.maximum = rules.max_units ? Math.min(rules.max_units, maximum ?? Infinity) : maximum;
  }

  /** Bring the page's setup within the rules: an allowed data set, epochs and units under the maxima. */
  function clampSetup() {
    const state = store.get();
    if (!dataAllowed(state.dataset.name)) {
      const first = [...root.querySelectorAll("#datasets button.dataset")].find((b) => !b.hidden);
      first?.click();
    }
    store.update((d) => {
      if (rules.max_epochs && d.epochs > rules.max_epochs) d.epochs = rules.max_epochs;
      if (rules.max_units) {
        const graphLayers = d.graph?.nodes?.map((n) => n.layer) ?? [];
        for (const layer of [...d.layers, ...graphLayers]) for (const name of UNIT_PARAMS) if (layer[name] > rules.max_units) layer[name] = rules.max_units;
      }
    });
  }

  return {
    /** The class's rules (its `settings`, or null when not in a class) and its challenges' data sets. */
    set(settings, challengeSets = []) {
      rules = settings ?? {};
      extra = new Set(challengeSets);
      filterLists();
      limitInputs();
      clampSetup();
    },
    /** The controls the class hides (the page's `?hide=` keys). */
    get hidden() {
      return new Set(rules.hide ?? []);
    },
  };
}
