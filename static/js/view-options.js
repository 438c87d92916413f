// The output's view options: test points on the plane, the discretized output and the loss
// chart's log scale. The check boxes write the store; the boxes, the boundary and the charts
// follow the store's view (and the charts its metrics) by themselves.

const BOXES = [["#show-test", "showTest"], ["#discretize", "discretize"], ["#log-scale", "logScale"]];

/** @typedef {{get: () => any, update: (change: (draft: any) => void) => void, subscribe: (listener: (state: any, changed: Set<string>) => void) => unknown}} Store */

/**
 * @param {{root: Document, store: Store, boundary: {setView: (view: object) => void},
 *   charts: {configure: (options: {metrics: string[], logScale: boolean}) => void}}} options
 */
export function createViewOptions({ root, store, boundary, charts }) {
  const boxes = BOXES.map(([selector, key]) => {
    const box = /** @type {HTMLInputElement} */ (root.querySelector(selector));
    box.addEventListener("change", () => store.update((d) => (d.view[key] = box.checked)));
    return { box, key };
  });

  function render() {
    const { view, metrics } = store.get();
    for (const { box, key } of boxes) box.checked = view[key];
    boundary.setView(view);
    charts.configure({ metrics, logScale: view.logScale });
  }

  store.subscribe((_state, changed) => (changed.has("view") || changed.has("metrics")) && render());
  render();
  return { render };
}
