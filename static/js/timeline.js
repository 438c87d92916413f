// Training as a film: the current run's frames kept at log-spaced epochs (dense early, where the
// model changes most; bounded memory however long the run), and a range control under the charts
// that shows any kept moment again — the boundary, the unit maps, the weight lines and a marker on
// the loss chart — plays them forward, and follows the live run again at its right end.

import { onLanguage, t } from "./i18n.js";

/** @typedef {import("./frames.js").DecodedFrame} DecodedFrame */
/** @typedef {{epoch: number, frame: DecodedFrame}} Moment */

/** Steps of the log grid up to a run's epochs: about this many moments are kept per run. */
export const STEPS = 60;
/** Moments kept at most (a run continued past its epochs keeps going; the densest are thinned). */
export const MAX_MOMENTS = 120;
const PLAY_MS = 150; // one kept moment per step while playing

/**
 * Which moments to keep: a frame is kept when its epoch reaches the next step of a log grid
 * (ratio epochs^(1/STEPS) between steps, at least one epoch), so a run of any length keeps
 * about STEPS + a few moments.
 */
export class Moments {
  /** @param {number} epochs the run's planned epochs */
  constructor(epochs) {
    this.ratio = Math.max(1.01, Math.max(2, epochs) ** (1 / STEPS));
    /** @type {Moment[]} */
    this.kept = [];
    /** @type {Moment | null} the newest frame, kept or not */
    this.newest = null;
    this.next = 0;
  }

  /** @param {number} epoch @param {DecodedFrame} frame */
  add(epoch, frame) {
    if (this.newest && epoch < this.newest.epoch) return; // an older frame, late
    this.newest = { epoch, frame };
    if (epoch < this.next) return;
    const last = this.kept[this.kept.length - 1];
    if (last?.epoch === epoch) this.kept[this.kept.length - 1] = this.newest;
    else this.kept.push(this.newest);
    this.next = Math.max(epoch + 1, Math.ceil(epoch * this.ratio));
    if (this.kept.length > MAX_MOMENTS) this.#thin();
  }

  /** Drop the moment closest (in log time) to its neighbours; the first and the last stay. */
  #thin() {
    const at = (k) => Math.log1p(this.kept[k].epoch);
    let best = 1;
    let gap = Infinity;
    for (let k = 1; k < this.kept.length - 1; k++) {
      const g = at(k + 1) - at(k - 1);
      if (g < gap) [best, gap] = [k, g];
    }
    this.kept.splice(best, 1);
  }

  /** The moments a student can scrub through: the kept ones, then the newest. @returns {Moment[]} */
  list() {
    const last = this.kept[this.kept.length - 1];
    return this.newest && this.newest !== last ? [...this.kept, this.newest] : this.kept;
  }
}

/**
 * @param {{root: Document, show: (moment: Moment | null, live: boolean) => void}} options
 * `show(moment, live)` draws a moment (live: the run's newest, drawn as frames come).
 */
export function createTimeline({ root, show }) {
  const box = /** @type {HTMLElement} */ (root.querySelector("#timeline"));
  const slider = /** @type {HTMLInputElement} */ (root.querySelector("#timeline-range"));
  const play = /** @type {HTMLButtonElement} */ (root.querySelector("#timeline-play"));
  const readout = /** @type {HTMLElement} */ (root.querySelector("#timeline-epoch"));
  let runId = null;
  let moments = new Moments(0);
  let live = true;
  let shownEpoch = 0; // the epoch on screen while not live
  let timer = 0;

  function stop() {
    clearInterval(timer);
    timer = 0;
  }

  /** Set an attribute only when it changes (render runs at every drawn frame). */
  function set(el, name, value) {
    if (el.getAttribute(name) !== value) el.setAttribute(name, value);
  }

  function render() {
    const list = moments.list();
    box.hidden = !runId || list.length < 2; // one moment (a preview, an opened finished run) is no film
    if (box.hidden) return;
    set(slider, "max", String(list.length - 1));
    let index = list.length - 1;
    if (!live) {
      // The shown moment's place (moments may have been thinned or added since).
      index = list.findIndex((m) => m.epoch >= shownEpoch);
      if (index < 0) index = list.length - 1;
    }
    if (slider.value !== String(index)) slider.value = String(index);
    const epoch = live ? list[list.length - 1].epoch : shownEpoch;
    const text = t(live ? "timeline.live" : "timeline.shown", { epoch });
    if (readout.textContent !== text) readout.textContent = text;
    set(readout, "data-epoch", String(epoch));
    set(box, "data-live", String(live));
    set(slider, "aria-valuetext", text);
    const label = t(timer ? "timeline.pause" : "timeline.play");
    set(play, "aria-label", label);
    set(play, "title", label);
    set(play, "aria-pressed", String(Boolean(timer)));
  }

  /** Show the moment at `index` of the list; its right end follows the run again. */
  function go(index) {
    const list = moments.list();
    if (!list.length) return;
    const k = Math.min(Math.max(0, index), list.length - 1);
    live = k === list.length - 1;
    shownEpoch = list[k].epoch;
    show(list[k], live);
    render();
  }

  slider.addEventListener("input", () => {
    stop();
    go(Number(slider.value));
  });
  play.addEventListener("click", () => {
    if (timer) {
      stop();
      return render();
    }
    const list = moments.list();
    // From where the film stands (from the start when it stands at the end).
    let k = live ? 0 : Math.max(0, list.findIndex((m) => m.epoch >= shownEpoch));
    go(k);
    timer = setInterval(() => {
      k += 1;
      if (k >= moments.list().length - 1) stop();
      go(k);
    }, PLAY_MS);
    render();
  });

  onLanguage(render); // redrawn in a new language by itself
  return {
    /** True while the newest frame is on screen (live frames are drawn as they come). */
    get live() {
      return live;
    },
    /**
     * Keep a drawn frame of `run` at `epoch`. A new run (or none) starts an empty film.
     * @param {{id?: string | null, epochs?: number} | null} run @param {number | null} epoch @param {DecodedFrame | null} frame
     */
    record(run, epoch, frame) {
      const id = run?.id ?? null;
      if (id !== runId) {
        stop();
        if (!live) show(null, true); // the old run's mark goes
        runId = id;
        moments = new Moments(run?.epochs ?? 0);
        live = true;
      }
      if (id && frame && epoch !== null && epoch !== undefined) moments.add(epoch, frame);
      render();
    },
    /** Back to the live run (a redraw of the setup, a reset). */
    follow() {
      stop();
      live = true;
      render();
    },
    render,
  };
}
