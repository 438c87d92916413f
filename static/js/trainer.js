// One training run at a time: create it, follow its stream, send controls. Frames arrive as
// fast as the server makes them; only the newest is drawn, once per animation frame.

import { api, openStream } from "./api.js";
import { decodeMap } from "./maps.js";

const FINISHED = new Set(["done", "stopped", "failed"]);
// Waiting for the server: a training slot (queued) or a resume after a restart (interrupted).
const WAITING = new Set(["queued", "interrupted"]);

export function createTrainer({ buildSpec, onCreated, onDraw, onError }) {
  let run = null; // {id, status, epoch, epochs}
  let stream = null;
  let history = {};
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
    const decoded = frame && {
      grid: frame.grid ? decodeMap(frame.grid) : null,
      neurons: (frame.neurons ?? []).map(decodeMap),
      weights: frame.weights ?? [],
    };
    onDraw({ run: run && { ...run }, history, frame: decoded, cleared: !run });
  }

  function touch() {
    dirty = true;
    schedule();
  }

  function append(part) {
    for (const [key, values] of Object.entries(part ?? {})) history[key] = (history[key] ?? []).concat(values);
  }

  function onMessage(message, gen) {
    if (gen !== generation || !run) return;
    switch (message.type) {
      case "queued":
        run.status = "queued";
        run.queuePosition = message.position;
        break;
      case "frame":
        append(message.history);
        run.epoch = message.epoch;
        run.status = FINISHED.has(message.status) || WAITING.has(message.status) || !wanted ? message.status : wanted;
        if (message.grid !== undefined) pending = message;
        break;
      case "done":
        history = message.history ?? history;
        run.epoch = message.epoch;
        run.status = message.status;
        break;
      case "error":
        run.status = "failed";
        onError([{ field: "", message: message.message, source: "stream" }]);
        break;
      case "rejected":
        onError([{ field: "", message: message.message, kind: "warning", source: "stream" }]);
        break;
      default:
        return;
    }
    touch();
  }

  async function start({ thenStep = false } = {}) {
    const gen = ++generation;
    wanted = thenStep ? "paused" : null;
    history = {};
    pending = null;
    run = { id: null, status: "starting", epoch: 0, epochs: 0 };
    touch();
    let created;
    try {
      created = await api.createRun(buildSpec());
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
    run = { id: created.id, status: created.status, epoch: created.epoch, epochs: created.epochs, spec: created.spec };
    onCreated(created);
    if (thenStep) {
      await api.control(created.id, "step").catch(() => {});
      run.status = "paused";
    }
    stream = openStream(created.id, (message) => onMessage(message, gen));
    touch();
  }

  function send(action) {
    stream?.send({ action });
  }

  return {
    get status() {
      return run?.status ?? "idle";
    },
    get queuePosition() {
      return run?.status === "queued" ? run.queuePosition ?? null : null;
    },
    get runId() {
      return run?.id ?? null;
    },
    /** Play / pause. */
    toggle() {
      const status = run?.status ?? "idle";
      if (status === "starting") return;
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
      if (status === "starting") return;
      if (!run || FINISHED.has(status)) {
        this.reset({ quiet: true });
        return start({ thenStep: true });
      }
      send("step");
      run.status = wanted = "paused";
      touch();
    },
    /** Let go of the run (it stops, and stays in the student's runs) and clear what was drawn. */
    reset({ quiet = false } = {}) {
      generation++;
      stream?.close();
      stream = null;
      if (run?.id && !FINISHED.has(run.status)) api.control(run.id, "stop").catch(() => {});
      run = null;
      history = {};
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
      history = {};
      pending = null;
      run = { id: created.id, status: created.status, epoch: created.epoch ?? 0, epochs: created.epochs ?? 0, spec: created.spec };
      onCreated(created);
      stream = openStream(created.id, (message) => onMessage(message, gen));
      touch();
    },
    setLearningRate(value) {
      if (run?.id && !FINISHED.has(run.status)) stream?.send({ action: "set", learning_rate: value });
    },
  };
}
