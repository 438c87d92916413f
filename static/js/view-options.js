// The output's view options: test points on the plane, the discretized output and the loss
// chart's log scale. The check boxes write the store; the boxes, the boundary and the charts
// follow the store's view (and the charts its metrics) by themselves.

const BOXES = [["#show-test", "showTest"], ["#discretize", "discretize"], ["#log-scale", "logScale"]];

/** @typedef {{get: () => any, update: (change: (draft: any) => void) => void, subscribe: (listener: (state: any, changed: Set<string>) => void) => unknown}} Store */

/**
 * @param {{root: Document, store: Store, boundary: {setView: (view: object) => void},
 *   charts: {configure: (options: {metrics: string[], logScale: boolean, validation?: boolean}) => void}}} options
 */
export function createViewOptions({ root, store, boundary, charts }) {
  const boxes = BOXES.map(([selector, key]) => {
    const box = /** @type {HTMLInputElement} */ (root.querySelector(selector));
    box.addEventListener("change", () => store.update((d) => (d.view[key] = box.checked)));
    return { box, key };
  });

  function render() {
    const { view, metrics, validationSplit } = store.get();
    for (const { box, key } of boxes) box.checked = view[key];
    boundary.setView(view);
    charts.configure({ metrics, logScale: view.logScale, validation: (validationSplit ?? 0) > 0 });
  }

  const watched = ["view", "metrics", "validationSplit"];
  store.subscribe((_state, changed) => watched.some((key) => changed.has(key)) && render());
  render();
  return { render };
}
