// One store for the page's settings: read with get(), change with update(), listen with subscribe().
// Views never keep their own copy of a setting; whatever can be derived is derived from here.

/** @typedef {{type: string, [key: string]: unknown}} LayerSpec */

export function createStore(initial) {
  let state = initial;
  const listeners = new Set();
  return {
    get: () => state,
    /** Apply `change(draft)` to a deep copy, then tell every listener which top-level keys changed. */
    update(change) {
      const draft = structuredClone(state);
      change(draft);
      const changed = new Set(Object.keys(draft).filter((key) => JSON.stringify(draft[key]) !== JSON.stringify(state[key])));
      if (!changed.size) return;
      state = draft;
      for (const listener of listeners) listener(state, changed);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
