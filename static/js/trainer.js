// One training run at a time: create it, follow its stream, send controls. Frames arrive as
// fast as the server makes them; only the newest is drawn, once per animation frame.

import { api, openStream } from "./api.js";
import { decodeFrame, streamIssue } from "./frames.js";
import { History, foldHistory } from "./series.js";
import { createStore } from "./store.js";

const FINISHED = new Set(["done", "stopped", "failed"]);
// Waiting for the server: a training slot (queued) or a resume after a restart (interrupted).
const WAITING = new Set(["queued", "interrupted"]);

export function createTrainer({ buildSpec, onCreated, onDraw, onError }) {
  /** @type {any} */
  let run = null; // {id, status, epoch, epochs, spec, preview, play, lost}
  let stream = null;
  let history = new History();
  let pending = null; // newest undrawn frame
  let dirty = false;
  let raf = 0;
  let generation = 0; // bumps on reset, so late answers of an old run are ignored
  // The status the student last asked for: a frame sent before the server saw the request
  // must not flip the button back (a paused run sends no further frame to correct it).
  let wanted = null;

  function schedule() {
    if (!raf) raf = requestAnimationFrame(flush);
  }

  function flush() {
    raf = 0;
    if (!dirty) return;
    dirty = false;
    const frame = pending;
    pending = null;
    const decoded = frame && decodeFrame(frame);
    // The frame's own epoch: the run may be further on (a later frame without pictures).
    onDraw({ run: run && { ...run }, history, frame: decoded, frameEpoch: frame?.epoch ?? null, cleared: !run });
    publish();
  }

  function touch() {
    dirty = true;
    schedule();
  }

  function onMessage(message, gen) {
    if (gen !== generation || !run) return;
    switch (message.type) {
      case "queued":
        run.status = "queued";
        run.queuePosition = message.position;
        break;
      case "frame": {
        history = foldHistory(history, message);
        // A run resumed into the queue keeps saying so until it trains (its last frame is older).
        const stillWaiting = run.status === "queued" && message.status !== "running" && !FINISHED.has(message.status) && message.epoch <= run.epoch;
        run.epoch = message.epoch;
        run.preparing = Boolean(message.preparing); // its model is still being traced on the server
        if (!stillWaiting) run.status = FINISHED.has(message.status) || WAITING.has(message.status) || !wanted ? message.status : wanted;
        if (message.grid !== undefined) pending = message;
        break;
      }
      case "done":
        history = foldHistory(history, message);
        run.epoch = message.epoch;
        run.status = message.status;
        break;
      case "error":
        run.status = "failed";
        onError([{ ...streamIssue(message), source: "stream" }]);
        break;
      case "rejected":
        onError([{ ...streamIssue(message), kind: "warning", source: "stream" }]);
        break;
      default:
        return;
    }
    touch();
  }

  /** The run's stream; reconnected, it asks for the epochs after those drawn. */
  function follow(id, gen) {
    const onLink = (up) => {
      if (gen !== generation || !run) return;
      run.lost = !up;
      touch();
    };
    return openStream(id, (message) => onMessage(message, gen), { since: () => history.length, onLink });
  }

  async function start({ thenStep = false, paused = false } = {}) {
    const gen = ++generation;
    wanted = thenStep ? "paused" : null;
    history = new History();
    pending = null;
    run = { id: null, status: "starting", epoch: 0, epochs: 0, preview: paused && !thenStep, play: false };
    touch();
    let created;
    try {
      created = await api.createRun(paused || thenStep ? { ...buildSpec(), paused: true } : buildSpec());
    } catch (error) {
      if (gen !== generation) return;
      run = null;
      touch();
      onError(error.errors ?? [{ field: "", message: String(error.message) }]);
      return;
    }
    if (gen !== generation) {
      api.deleteRun(created.id).catch(() => {});
      return;
    }
    const play = run.play; // ▶ pressed while the preview was being made
    run = { id: created.id, status: created.status, epoch: created.epoch, epochs: created.epochs, spec: created.spec, preview: paused && !thenStep && !play };
    onCreated(created, { preview: paused && !thenStep });
    if (thenStep) {
      await api.control(created.id, "step").catch(() => {});
      run.status = "paused";
    }
    stream = follow(created.id, gen);
    if (play) {
      send(play === "step" ? "step" : "resume");
      run.status = wanted = play === "step" ? "paused" : "running";
    }
    touch();
  }

  /**
   * Stop an untouched preview at once (it no longer counts against the student's runs) and
   * delete it a little later, once the page's parts have had the answers they asked it for.
   */
  function dropLater(id) {
    api.control(id, "stop")
      .then(() => new Promise((resolve) => setTimeout(resolve, 10_000)))
      .then(() => api.deleteRun(id))
      .catch(() => {});
  }

  const isPreview = () => Boolean(run?.id && run.preview && !run.epoch && run.status === "paused");
  /** What the ▶ button shows: a preview on its way is not training unless ▶ was pressed. */
  function shownStatus() {
    if (run?.status === "starting" && run.preview) return run.play === "play" ? "starting" : run.play ? "paused" : "idle";
    return run?.status ?? "idle";
  }
  /** The run as the page shows it, a store: the views that show it subscribe (static/js/run-status.js). */
  const runState = createStore({ status: "idle", preview: false, preparing: false, queuePosition: null, reconnecting: false });
  function publish() {
    runState.update((d) => Object.assign(d, {
      status: shownStatus(),
      preview: isPreview(),
      preparing: Boolean(run?.preparing) && run?.status === "running",
      queuePosition: run?.status === "queued" ? run.queuePosition ?? null : null,
      reconnecting: Boolean(run?.lost) && !FINISHED.has(run?.status),
    }));
  }

  function send(action) {
    stream?.send({ action });
  }

  return {
    get status() {
      return run?.status ?? "idle";
    },
    /** What the ▶ button shows: a preview on its way is not training unless ▶ was pressed. */
    get shownStatus() {
      return shownStatus();
    },
    /** The run's shown state as a store ({status, preview, preparing, queuePosition}); changes at each drawn frame. */
    runState: { get: runState.get, subscribe: runState.subscribe },
    /** True while the server says the run's model is still being prepared (no epoch yet). */
    get preparing() {
      return Boolean(run?.preparing) && run?.status === "running";
    },
    get queuePosition() {
      return run?.status === "queued" ? run.queuePosition ?? null : null;
    },
    get runId() {
      return run?.id ?? null;
    },
    /**
     * The untrained model at once: a new run created paused, whose epoch-0 frame draws the
     * boundary, the unit maps and the starting loss; ▶ resumes it. Replaces the current run.
     */
    preview() {
      this.reset({ quiet: true });
      return start({ paused: true });
    },
    /** The run is an untouched preview (epoch 0, never resumed). */
    get isPreview() {
      return isPreview();
    },
    /** Delete an untouched preview as the page goes away (so it does not count against the limit). */
    dropPreview() {
      if (isPreview()) fetch(`/api/runs/${encodeURIComponent(run.id)}`, { method: "DELETE", keepalive: true, credentials: "same-origin" }).catch(() => {});
    },
    /** Play / pause. */
    toggle() {
      const status = run?.status ?? "idle";
      if (status === "starting") {
        if (run.preview) run.play = run.play ? false : "play"; // the preview is on its way: play it when it comes
        touch();
        return;
      }
      if (status === "interrupted") {
        // The server restarted while it trained: continue from its last checkpoint.
        wanted = null;
        api.control(run.id, "resume").catch((error) => onError(error.errors ?? [{ field: "", message: String(error.message) }]));
        run.status = "running";
        touch();
        return;
      }
      if (status === "running" || status === "queued") {
        send("pause");
        run.status = wanted = "paused";
      } else if (status === "paused") {
        run.preview = false;
        send("resume");
        run.status = wanted = "running";
      } else {
        this.reset({ quiet: true });
        return start();
      }
      touch();
    },
    step() {
      const status = run?.status ?? "idle";
      if (status === "starting") {
        if (run.preview) run.play = "step";
        touch();
        return;
      }
      if (!run || FINISHED.has(status)) {
        this.reset({ quiet: true });
        return start({ thenStep: true });
      }
      run.preview = false;
      send("step");
      run.status = wanted = "paused";
      touch();
    },
    /** Let go of the run (it stops, and stays in the student's runs) and clear what was drawn. */
    reset({ quiet = false } = {}) {
      generation++;
      stream?.close();
      stream = null;
      if (isPreview()) dropLater(run.id); // nothing trained: nothing to keep
      else if (run?.id && !FINISHED.has(run.status)) api.control(run.id, "stop").catch(() => {});
      run = null;
      history = new History();
      pending = null;
      if (!quiet) {
        dirty = true;
        flush();
      }
    },
    /** Let go of the run without deleting it (it is kept as setup A of a comparison): {id, spec}. */
    detach() {
      if (!run?.id) return null;
      const kept = { id: run.id, spec: run.spec };
      run = null; // so that reset leaves it on the server
      this.reset();
      return kept;
    },
    /** Follow a run made elsewhere (an opened model or experiment) instead of the current one. */
    adopt(created) {
      this.reset({ quiet: true });
      const gen = ++generation;
      wanted = null;
      history = new History();
      pending = null;
      run = { id: created.id, status: created.status, epoch: created.epoch ?? 0, epochs: created.epochs ?? 0, spec: created.spec };
      onCreated(created);
      stream = follow(created.id, gen);
      touch();
    },
    setLearningRate(value) {
      if (run?.id && !FINISHED.has(run.status)) stream?.send({ action: "set", learning_rate: value });
    },
  };
}
