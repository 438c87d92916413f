// A run's history kept for drawing at a bounded cost: per key, at most `capacity` buckets of
// consecutive epochs, each holding its smallest and largest value and where they occurred.
// Appending an epoch costs O(1) (amortised: when the buckets fill up, neighbours merge and a
// bucket covers twice as many epochs), so a chart draws as fast at epoch 10 as at 10,000,000.

/** @typedef {{lo: number[], hi: number[], loAt: number[], hiAt: number[], last: number | null}} Track */
/** @typedef {{x: number[], series: (number | null)[][]}} Points */

export const CAPACITY = 1024;

/** @returns {Track} */
function emptyTrack() {
  return { lo: [], hi: [], loAt: [], hiAt: [], last: null };
}

/**
 * A stream message's history (a frame's, or `done`'s) folded into `history`: the epochs from
 * `message.since` on. A message whose history starts at 0 while `history` holds epochs — the run
 * was cut back to a checkpoint (moved to another node, restored after a restart) — replaces it.
 * @param {History} history
 * @param {{since?: number, history?: Record<string, (number | null)[]>}} message
 * @returns {History} the history to keep
 */
export function foldHistory(history, message) {
  if (message.since === 0 && history.length > 0) return History.from(message.history);
  history.append(message.history);
  return history;
}

export class History {
  /** @param {number} [capacity] buckets per key (a chart has about as many pixels) */
  constructor(capacity = CAPACITY) {
    this.capacity = capacity;
    /** epochs appended */
    this.length = 0;
    /** epochs per bucket, a power of two */
    this.span = 1;
    /** @type {Map<string, Track>} */
    this.tracks = new Map();
    /** bumps at every change, so a chart redraws only what changed */
    this.version = 0;
  }

  /** @param {Record<string, (number | null)[]>} [full] */
  static from(full) {
    const h = new History();
    h.append(full);
    return h;
  }

  /** Add the epochs of one frame: `{key: [values since the last frame]}`, every key as long. */
  append(part) {
    const entries = Object.entries(part ?? {});
    const n = Math.max(0, ...entries.map(([, values]) => values.length));
    if (!n) return;
    for (const [key] of entries) if (!this.tracks.has(key)) this.tracks.set(key, emptyTrack());
    for (let i = 0; i < n; i++) {
      const epoch = this.length + i;
      if (Math.floor(epoch / this.span) >= this.capacity) this.#halve();
      const b = Math.floor(epoch / this.span);
      for (const [key, values] of entries) {
        const v = values[i];
        if (v === null || v === undefined || !Number.isFinite(v)) continue;
        const track = /** @type {Track} */ (this.tracks.get(key));
        track.last = v;
        if (track.lo.length <= b) {
          while (track.lo.length < b) {
            track.lo.push(NaN);
            track.hi.push(NaN);
            track.loAt.push(-1);
            track.hiAt.push(-1);
          }
          track.lo.push(v);
          track.hi.push(v);
          track.loAt.push(epoch);
          track.hiAt.push(epoch);
        } else {
          if (!(v >= track.lo[b])) [track.lo[b], track.loAt[b]] = [v, epoch];
          if (!(v <= track.hi[b])) [track.hi[b], track.hiAt[b]] = [v, epoch];
        }
      }
    }
    this.length += n;
    this.version++;
  }

  /** Merge neighbouring buckets: each now covers twice as many epochs. */
  #halve() {
    for (const track of this.tracks.values()) {
      const half = Math.ceil(track.lo.length / 2);
      for (let j = 0; j < half; j++) {
        const [a, b] = [2 * j, 2 * j + 1];
        if (b < track.lo.length && (Number.isNaN(track.lo[a]) || track.lo[b] < track.lo[a])) {
          track.lo[j] = track.lo[b];
          track.loAt[j] = track.loAt[b];
        } else {
          track.lo[j] = track.lo[a];
          track.loAt[j] = track.loAt[a];
        }
        if (b < track.hi.length && (Number.isNaN(track.hi[a]) || track.hi[b] > track.hi[a])) {
          track.hi[j] = track.hi[b];
          track.hiAt[j] = track.hiAt[b];
        } else {
          track.hi[j] = track.hi[a];
          track.hiAt[j] = track.hiAt[a];
        }
      }
      for (const list of [track.lo, track.hi, track.loAt, track.hiAt]) list.length = half;
    }
    this.span *= 2;
  }

  /** The last value of `key` (null if it has none). */
  last(key) {
    return this.tracks.get(key)?.last ?? null;
  }

  has(key) {
    return this.tracks.has(key);
  }
}

/**
 * Points to draw for several histories on one x axis: each bucket of `span` epochs gives two
 * points, its extremes in the order they occurred (one point where a bucket is one epoch).
 * Keys are `[history, key]` pairs; `keep(v)` says whether a value can be drawn (a log scale
 * cannot draw 0). At most 2 · capacity points, whatever the length of the runs.
 * @param {[History, string][]} keys
 * @param {(v: number) => boolean} [keep]
 * @returns {Points}
 */
export function points(keys, keep = () => true) {
  const histories = [...new Set(keys.map(([h]) => h))];
  const span = Math.max(1, ...histories.map((h) => h.span));
  const length = Math.max(0, ...histories.map((h) => h.length));
  const buckets = Math.ceil(length / span);
  const double = span > 1;
  const x = [];
  for (let b = 0; b < buckets; b++) {
    x.push(b * span + 1);
    if (double) x.push(b * span + 1 + span / 2);
  }
  const series = keys.map(([h, key]) => {
    const out = new Array(x.length).fill(null);
    const track = h.tracks.get(key);
    if (!track) return out;
    const factor = span / h.span; // this history's buckets per drawn bucket
    for (let i = 0; i < track.lo.length; i++) {
      const lo = track.lo[i];
      if (Number.isNaN(lo)) continue;
      const b = Math.floor(i / factor);
      if (!double) {
        if (keep(lo)) out[b] = lo;
        continue;
      }
      // Fold this bucket's extremes into the drawn bucket's two points (earlier, later).
      const hi = track.hi[i];
      const [first, second] = track.loAt[i] <= track.hiAt[i] ? [lo, hi] : [hi, lo];
      const [p, q] = [2 * b, 2 * b + 1];
      if (factor === 1 || out[p] === null) {
        if (keep(first)) out[p] = first;
        if (keep(second)) out[q] = second;
      } else {
        // Several source buckets per point: keep the extremes of the drawn bucket.
        const all = [out[p], out[q], first, second].filter((v) => v !== null && keep(v));
        if (all.length) {
          out[p] = Math.min(...all);
          out[q] = Math.max(...all);
        }
      }
    }
    return out;
  });
  return { x, series };
}
