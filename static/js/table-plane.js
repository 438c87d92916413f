// Tables with two inputs (XOR's truth table, hours and attendance, …) drawn on a plane like the
// generated data sets: the rows as points over the model's output. The stream sends no output
// grid for tables, so the grid's rows (in the data's own units) are asked of the model through
// POST /api/runs/{id}/predict: when a run pauses or ends, and about once a second while it trains.

import { api } from "./api.js";
import { createRefresher } from "./refresher.js";

export const GRID = 48; // cells per side: 2,304 rows per request

/** The plane's extent around the rows, padded (a quarter of the span for tiny tables like XOR's). */
export function extentOf(rows) {
  return [0, 1].map((j) => {
    const values = rows.map((r) => r[j]);
    const [lo, hi] = [Math.min(...values), Math.max(...values)];
    const span = hi - lo || 1;
    const pad = span * (rows.length <= 16 ? 0.25 : 0.08);
    return [lo - pad, hi + pad];
  });
}

/** The grid's rows: row 0 at the top (largest second feature), column 0 at the left.
 * @param {number[][]} extent [[x1lo, x1hi], [x2lo, x2hi]] @param {number} [size] */
export function gridRows(extent, size = GRID) {
  const [[x1lo, x1hi], [x2lo, x2hi]] = extent;
  const rows = [];
  for (let r = 0; r < size; r++) {
    const x2 = x2hi - ((r + 0.5) / size) * (x2hi - x2lo);
    for (let c = 0; c < size; c++) rows.push([x1lo + ((c + 0.5) / size) * (x1hi - x1lo), x2]);
  }
  return rows;
}

/** The model's outputs (one row per cell) as a decoded map, as the stream's grid would be. */
export function outputsToMap(outputs, size, task) {
  const channels = outputs[0]?.length ?? 1;
  const n = size * size;
  let [min, max] = [0, 1];
  if (task === "regression") {
    min = Math.min(...outputs.map((o) => o[0]));
    max = Math.max(...outputs.map((o) => o[0]));
    if (max === min) max = min + 1e-6;
  }
  const bytes = new Uint8Array(channels * n);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const v = (outputs[i][c] - min) / (max - min);
      bytes[c * n + i] = Math.round(255 * Math.max(0, Math.min(1, v)));
    }
  }
  return { channels, rows: size, cols: size, min, max, bytes };
}

export function createTablePlane({ boundary }) {
  let active = null; // {extent, rows, task} for a two-feature table, else null
  let runId = null;
  let lastRun = null;

  const refresher = createRefresher(async (id) => {
    const asked = active;
    if (!asked) return;
    const answer = await api.predict(id, asked.rows);
    if (asked === active && id === runId) boundary.draw(outputsToMap(answer.outputs, GRID, asked.task));
  }, 1000);

  return {
    get active() {
      return active !== null;
    },
    /** A data set's info and rows: its plane's extent when it is a table of two inputs, else null. */
    setData(info, data) {
      const two = info.kind !== "plane" && info.n_features === 2 && (info.input_shape ?? [2]).length === 1;
      refresher.forget();
      if (!two) {
        active = null;
        return null;
      }
      const extent = extentOf([...data.x_train, ...data.x_test]);
      active = { extent, rows: gridRows(extent), task: info.task };
      // The rows may come after the run's frame (a paused run sends no other): ask once they are in.
      setTimeout(() => lastRun?.id && refresher.follow(lastRun));
      return extent;
    },
    /** After a frame: the model's answers over the plane, now and then. */
    follow(run) {
      runId = run?.id ?? null;
      lastRun = run;
      if (!active) return;
      if (!run?.id) refresher.forget();
      else refresher.follow(run);
    },
  };
}
