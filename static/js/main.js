// The playground page: loads the catalog and data sets, then wires the parts together.
// Each part owns one job; this file only says which change redraws what.

import { api } from "./api.js";
import { createBaselineView } from "./baseline-view.js";
import { createGradientView } from "./gradient-view.js";
import { createCharts } from "./charts.js";
import { scoreText } from "./board.js";
import { createClassPanel } from "./class-panel.js";
import { createClassRules } from "./class-rules.js";
import { classApi } from "./classroom-api.js";
import { createCodeView } from "./code-view.js";
import { createComparison, setupNames } from "./compare.js";
import { createDataPanel } from "./data-panel.js";
import { adaptToDataset, defaultState } from "./defaults.js";
import { createDiagram, FEATURES } from "./diagram.js";
import { createDiagramStructure } from "./diagram-structure.js";
import { createFitView } from "./fit-view.js";
import { createDownloads } from "./downloads.js";
import { createFeatureMaps } from "./feature-maps.js";
import { renderErrors, setErrors } from "./errors.js";
import { createBoundary } from "./heatmap.js";
import { datasetName, onLanguage, setLanguage, t, translateTree } from "./i18n.js";
import { createImporter } from "./importer.js";
import { createGraphEditor } from "./graph-editor.js";
import { isGraph, modelSpec } from "./graph-model.js";
import { createLayerEditor } from "./layer-editor.js";
import { createLessons } from "./lessons.js";
import { createMyRuns } from "./my-runs.js";
import { createOwnData } from "./own-data.js";
import { createPainter } from "./paint.js";
import { createPredictBox } from "./predict-box.js";
import { createReportView } from "./report-view.js";
import { createRunStatus } from "./run-status.js";
import { createSettingsPanel } from "./settings-panel.js";
import { createSpark } from "./spark.js";
import { applySpec } from "./spec-state.js";
import { createStore } from "./store.js";
import { createSummary } from "./summary.js";
import { createTablePlane } from "./table-plane.js";
import { createTimeline } from "./timeline.js";
import { createTrainer } from "./trainer.js";
import { createViewOptions } from "./view-options.js";
import { readUrl, URL_FIELDS, writeUrl } from "./url-state.js";

/** @type {(selector: string) => any} */
const $ = (selector) => document.querySelector(selector);
const FEATURE_ORDER = Object.keys(FEATURES);
/** The page's figures for the tests and benchmarks (window.__lastDrawMs, window.__drawTimes). */
const page = /** @type {any} */ (window);
// Changing any of these makes the current run a different experiment: it is reset.
const SETUP_KEYS = ["dataset", "layers", "graph", "modelView", "loss", "optimizer", "schedule", "metrics", "epochs", "batchSize", "validationSplit", "seed"];

async function boot() {
  const [catalog, datasets, presets] = await Promise.all([api.catalog(), api.datasets(), api.presets()]);
  const infos = new Map(datasets.map((d) => [d.name, d]));
  const defaults = defaultState();
  const initial = readUrl(structuredClone(defaults), location.search);
  if (!infos.has(initial.dataset.name)) initial.dataset.name = defaults.dataset.name;
  initial.dataset.features = FEATURE_ORDER.filter((f) => initial.dataset.features.includes(f));
  if (!initial.dataset.features.length) initial.dataset.features = ["x1", "x2"];
  if (initial.graph && !isGraph(initial.graph)) Object.assign(initial, { graph: null, modelView: "stack" }); // a broken link's graph
  if (initial.modelView !== "graph" || !initial.graph) initial.modelView = "stack";
  const asked = new URLSearchParams(location.search);
  initial.langChosen = asked.has("lang");
  const projector = asked.get("view") === "projector" && asked.has("run");
  document.body.classList.toggle("projector", projector);
  if (asked.has("data")) {
    // A link that names only the data gets the model's end, loss and metrics that suit it.
    const draft = { ...initial, auto: { output: !asked.has("layers"), loss: !asked.has("loss"), metrics: !asked.has("metrics") } };
    adaptToDataset(draft, infos.get(initial.dataset.name));
    Object.assign(initial, { layers: draft.layers, loss: draft.loss, metrics: draft.metrics });
  }
  const store = createStore(initial);
  setLanguage(initial.lang);

  const infoOf = (state) => infos.get(state.dataset.name);
  const taskOf = (state) => {
    const info = infoOf(state);
    return { kind: info.task, binary: info.task === "classification" && info.n_classes === 2 };
  };

  function datasetRef(state = store.get()) {
    const info = infoOf(state);
    const ref = { name: state.dataset.name, noise: state.dataset.noise, train_ratio: state.dataset.train_ratio, seed: state.dataset.seed };
    if (state.dataset.n_samples && !info.fixed) ref.n_samples = state.dataset.n_samples;
    if (info.fixed) ref.noise = 0; // a challenge's rows are fixed: no noise, no other sample count
    if (info.kind === "plane") ref.features = state.dataset.features;
    else ref.scaling = state.dataset.scaling ?? "none";
    return ref;
  }

  function buildSpec() {
    const s = store.get();
    const optimizer = { type: s.optimizer.type, ...s.optimizer.params, learning_rate: s.schedule ? { ...s.schedule } : s.learningRate };
    return {
      dataset: datasetRef(s),
      model: modelSpec(s),
      compile: { loss: s.loss, optimizer, metrics: s.metrics },
      fit: { epochs: s.epochs, batch_size: s.batchSize, ...(s.validationSplit ? { validation_split: s.validationSplit } : {}) },
      stream: { grid_size: 100, neuron_grid_size: 20, max_fps: 30 },
      seed: s.seed,
    };
  }

  // --- the parts -----------------------------------------------------------------------------
  const announcer = $("#announcer");
  const editor = createLayerEditor({
    store, catalog, palette: $("#palette"), stack: $("#layer-stack"),
    announce: (text) => (announcer.textContent = text),
  });
  // The graph view (the functional API), one click from the stack.
  createGraphEditor({
    store, catalog, body: $(".network-body"), stackBox: $(".stack-box"),
    announce: (text) => (announcer.textContent = text),
    // The data's features by name, for a graph's several inputs (a plane's chosen ones, a table's columns).
    featureNames: () => {
      const state = store.get();
      const info = infoOf(state);
      return info?.kind === "plane" ? [...state.dataset.features] : [...(info?.feature_names ?? [])];
    },
  });
  createSummary({ element: $("#model-summary"), datasetRef: () => datasetRef(), store }); // follows the layers, the data and the language
  const dataPanel = createDataPanel({ store, datasets, root: document });
  const boundary = createBoundary({ canvas: $("#boundary-canvas"), overlay: $("#points-canvas"), legend: $("#legend") });
  const tablePlane = createTablePlane({ boundary });
  const charts = createCharts({
    lossEl: $("#loss-chart"), metricEl: $("#metric-chart"), metricNote: $("#metric-note"),
    lossReadout: $("#loss-readout"), metricReadout: $("#metric-readout"),
  });
  const spark = createSpark({ canvas: $("#loss-spark") });
  charts.onLoss((series, values) => spark.show(series, values));
  const diagram = createDiagram({
    container: $("#diagram"), tooltip: $("#diagram-tooltip"), preview: $("#diagram-preview"),
    onToggleFeature: (name) => store.update((d) => {
      const on = d.dataset.features.includes(name);
      if (on && d.dataset.features.length === 1) return; // a model needs at least one input
      d.dataset.features = FEATURE_ORDER.filter((f) => (f === name ? !on : d.dataset.features.includes(f)));
    }),
  });

  // The diagram's columns follow the store's layers, data and hidden controls.
  const diagramShape = createDiagramStructure({ store, diagram, catalog, infoOf });

  const downloads = createDownloads({
    root: document,
    pictures: { loss: () => charts.picture(t("chart.pictureTitle")), output: () => boundary.picture(t("output.pictureTitle")) },
  });
  const codeView = createCodeView({ root: document });
  const lessons = createLessons({ store, root: document, presets, catalog, infos, onCompare: compareLesson });
  const fitView = createFitView({ root: document, store }); // follows the layers and the language itself
  const reportView = createReportView({ root: document });
  // It follows the layers and the language itself; its pictures are drawn in the diagram's nodes too.
  const featureMaps = createFeatureMaps({ root: document, store, onImages: (images) => diagram.showImages(images) });
  const baselineView = createBaselineView({ root: document });
  const gradientView = createGradientView({ root: document });
  let shownLesson = null; // the lesson whose views (say, the gradients) were last opened
  const predictBox = createPredictBox({ root: document });
  const comparison = createComparison({ root: document, onChange: showComparison });
  const keepButton = $("#compare-keep");

  /** Setup A's loss beside the current setup's (B) on the loss chart, each named by what sets it apart. */
  function showComparison() {
    if (!comparison.active) {
      $("#lesson-setup").hidden = true;
      return charts.setComparison(null);
    }
    const [a, b] = setupNames(comparison.a.spec, buildSpec());
    comparison.followB(trainer.runId ? { status: trainer.status, epoch: Number($("#epoch-counter").textContent) } : null, [a, b]);
    $("#lesson-setup").hidden = false;
    $("#lesson-setup").textContent = t("compare.showing", { name: b });
    charts.setComparison({ a: { label: a, history: comparison.a.history }, b: { label: b } });
  }
  keepButton.addEventListener("click", () => {
    const kept = trainer.detach();
    if (kept) comparison.keep(kept);
  });
  /** A lesson that compares two setups: its first setup trains as A, its second is loaded and trains as B. */
  async function compareLesson(preset) {
    try {
      await comparison.start(preset.spec);
    } catch (error) {
      setErrors("run", error.errors ?? [{ field: "", message: String(error.message) }]);
      return;
    }
    showComparison();
    trainer.toggle();
  }
  // A new data set (a CSV, painted points) joins the list and is chosen, with a split and a model end that suit it.
  function useUpload(created) {
    const info = { kind: "upload", input_shape: [created.n_features], default_train_ratio: 0.7, description: "", ...created };
    infos.set(info.name, info);
    dataPanel.add(info);
    store.update((d) => {
      d.dataset = { ...d.dataset, name: info.name, train_ratio: info.default_train_ratio, scaling: "none" };
      delete d.dataset.n_samples;
      d.auto = { output: true, loss: true, metrics: true };
      adaptToDataset(d, info);
    });
  }
  createOwnData({ root: document, onCreated: useUpload }); // follows the language itself
  const painter = createPainter({ root: document, onCreated: useUpload });

  /** One frame's pictures: the boundary, the unit maps and the weight lines. */
  function drawFrame(frame) {
    if (!tablePlane.active) boundary.draw(frame.grid); // a table's plane is drawn from predictions
    // An image model's weights are per Dense layer, not per column of its diagram: lines stay plain.
    diagram.draw(diagramShape.image ? { ...frame, weights: [] } : frame);
  }
  // Training as a film: a kept moment of the run drawn again, marked on the loss chart.
  const timeline = createTimeline({
    root: document,
    show(moment, live) {
      if (moment) drawFrame(moment.frame);
      charts.setMarker(live ? null : moment?.epoch ?? null);
    },
  });

  const drawTimes = [];
  const trainButton = $("#train-button");
  const trainer = createTrainer({
    buildSpec,
    onCreated(run, { preview = false } = {}) {
      // A warning is {field, code, params, message} (or, from an older server, its message alone).
      setErrors("run", (run.warnings ?? []).map((w) => (typeof w === "string" ? { field: "", message: w } : { field: "", ...w, kind: "warning" })).map((w) => ({ ...w, kind: "warning" })));
      if (!preview) myRuns.refresh();
    },
    onError(errors) {
      const source = errors[0]?.source === "stream" ? "stream" : "run";
      setErrors(source, errors);
    },
    onDraw({ run, history, frame, frameEpoch, cleared }) {
      const start = performance.now();
      timeline.record(run, frameEpoch, frame);
      if (frame && timeline.live) drawFrame(frame); // scrubbed back: the past stays on screen
      if (cleared) {
        boundary.draw(null);
        diagram.clear();
      }
      if (frame) {
        // The figure the issue asks for: one frame's heatmap, points and unit maps.
        page.__lastDrawMs = performance.now() - start;
        drawTimes.push(page.__lastDrawMs);
        if (drawTimes.length > 500) drawTimes.shift();
      }
      lastRun = run && { ...run };
      follow(lastRun, frame);
      keepButton.disabled = !run?.id || run.status === "starting";
      charts.setHistory(history);
      followStart(run, frame);
      // An untouched preview (the untrained model before ▶) has nothing of the student's to take home.
      downloads.setRun(run?.id && !trainer.isPreview ? run.id : null);
      codeView.setRun(run?.id ?? null);

      $("#epoch-counter").textContent = String(run?.epoch ?? 0);
      followScore(run);
      if (comparison.active) comparison.followB(run, null);
    },
  });
  page.__drawTimes = drawTimes;
  createRunStatus({ root: document, runState: trainer.runState }); // ▶'s label, the status word, the queue, "+"

  // The parts that ask the run about their data (predictions, a report) follow it only once they
  // hold that run's data: a new setup's run may come before its rows do (and a paused run sends
  // no later frame), so they are told again when the rows arrive.
  let lastRun = null;
  let loadedData = null; // the data set whose rows the parts hold
  function follow(run, frame = null) {
    const mine = !run?.spec?.dataset?.name || run.spec.dataset.name === loadedData;
    const current = mine ? run : null;
    lessons.follow(current);
    tablePlane.follow(current);
    fitView.follow(current, frame);
    reportView.follow(current);
    featureMaps.follow(current);
    baselineView.follow(current);
    gradientView.follow(current);
    const lesson = store.get().lesson ?? null;
    if (lesson !== shownLesson) {
      shownLesson = lesson;
      gradientView.openFor(lessons.views);
    }
    predictBox.follow(current);
  }

  const importer = createImporter({
    root: document,
    datasetName: () => store.get().dataset.name,
    // The page takes on the opened run's setup (which resets the current run), then follows it.
    onOpened({ created, spec }) {
      if (spec) store.update((d) => applySpec(d, spec, catalog));
      trainer.adopt(created);
    },
  });

  const settings = createSettingsPanel({ store, catalog, root: document, taskOf, onLearningRate: (v) => trainer.setLearningRate(v) });

  // --- data preview (the points before and while training) --------------------------------------
  let previewTicket = 0;
  async function loadPreview() {
    const ticket = ++previewTicket;
    const state = store.get();
    const info = infoOf(state);
    const { features, ...query } = datasetRef(state);
    delete query.name;
    try {
      const data = await api.dataset(state.dataset.name, query);
      if (ticket !== previewTicket) return;
      const values = [...data.y_train, ...data.y_test];
      const plane = info.kind === "plane";
      const extent = tablePlane.setData(info, data); // a table of two inputs is drawn on a plane too
      const onPlane = plane || Boolean(extent);
      $("#no-plane").hidden = onPlane;
      $("#boundary").classList.toggle("table", !onPlane);
      document.querySelector(".panel.output").classList.toggle("no-plane-data", !onPlane);
      const axes = $("#plane-axes");
      axes.hidden = !extent;
      if (extent) {
        const [a, b] = info.feature_names ?? ["x1", "x2"];
        axes.textContent = t("output.axes", { x: a, y: b });
      }
      const oneFeature = !plane && info.task === "regression" && info.n_features === 1 && (info.input_shape ?? [1]).length === 1;
      fitView.setData(oneFeature ? {
        xs: data.x_train.map((row) => row[0]), ys: data.y_train,
        txs: data.x_test.map((row) => row[0]), tys: data.y_test, feature: info.feature_names?.[0] ?? "x",
      } : null);
      reportView.setData(!plane && !oneFeature ? info : null, data);
      featureMaps.setData(info, data);
      predictBox.setData(info, datasetRef(state), data).catch(() => {});
      painter.setPlane(plane);
      boundary.setData({
        train: plane ? data.points_train : extent ? data.x_train : null,
        ytrain: data.y_train,
        test: plane ? data.points_test : extent ? data.x_test : null,
        extent,
        ytest: data.y_test,
        task: info.task,
        nClasses: info.n_classes,
        classNames: info.class_names,
        yRange: info.task === "regression" ? [Math.min(...values), Math.max(...values)] : [0, 1],
      });
      setErrors("dataset", []);
      loadedData = state.dataset.name;
      follow(lastRun);
    } catch (error) {
      if (ticket === previewTicket) setErrors("dataset", error.errors ?? []);
    }
  }

  function applyHidden() {
    const hide = new Set([...store.get().hide, ...classRules.hidden]);
    for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-control]"))) el.hidden = hide.has(el.dataset.control);
    $("#hidden-note").hidden = hide.size === 0;
  }

  function renderLanguage() {
    translateTree();
    $("#lang-switch").textContent = t("lang.switch");
    $("#lang-switch").setAttribute("aria-label", t("lang.switchLabel"));
    document.title = t("title");
    settings.relabel();
    lessons.render();
    predictBox.render();
    comparison.render();
    showComparison();
    classPanel.render();
    renderErrors();
  }

  $("#lang-switch").addEventListener("click", () => store.update((d) => {
    d.lang = d.lang === "ko" ? "en" : "ko";
    d.langChosen = true;
  }));
  trainButton.addEventListener("click", () => {
    setErrors("stream", []);
    if (trainer.status === "idle") setErrors("run", []);
    trainer.toggle();
  });
  $("#step-button").addEventListener("click", () => trainer.step());
  $("#reset-button").addEventListener("click", () => {
    trainer.reset();
    setErrors("run", []);
    setErrors("stream", []);
    schedulePreview(0);
  });

  // The untrained model at once: every change of the setup makes a paused run whose epoch-0
  // frame is drawn (a short pause first, so a slider's drag makes one run, not twenty).
  let previewTimer = 0;
  function schedulePreview(delay = 350) {
    clearTimeout(previewTimer);
    if (projector) return;
    previewTimer = setTimeout(() => {
      if (trainer.status === "idle") trainer.preview();
    }, delay);
  }
  addEventListener("pagehide", () => trainer.dropPreview());
  createViewOptions({ root: document, store, boundary, charts }); // the view's check boxes, the boundary's and the charts' options

  // --- what each change redraws ---------------------------------------------------------------
  store.subscribe((state, changed) => {
    const has = (...keys) => keys.some((k) => changed.has(k));
    if (has(...SETUP_KEYS) && trainer.status !== "idle") {
      trainer.reset();
    }
    if (has(...SETUP_KEYS)) {
      schedulePreview();
      setErrors("run", []);
      setErrors("stream", []);
      setErrors("import", []);
      importer.clear();
    }
    if (has("dataset") && comparison.active) comparison.end(); // A was trained on other data
    if (has(...SETUP_KEYS)) showComparison();
    if (has("lang")) setLanguage(state.lang);
    if (has("lesson", "dataset")) lessons.render();
    if (has("dataset")) loadPreview();
    if (has("dataset") && (infoOf(state)?.input_shape ?? []).length > 1) editor.showAdvanced(true); // images: Conv2D, pooling
    if (has("hide")) applyHidden();
    if (has("epochs", "learningRate", "optimizer", "schedule", "loss", "metrics", "dataset")) settings.render(changed);
    history.replaceState(null, "", address(state));
  });
  onLanguage(() => renderLanguage());

  // --- the classroom: the class menu and its rules, my runs, opening a run, the projector view ------
  function address(state) {
    const extra = projector ? `&${new URLSearchParams({ run: asked.get("run"), view: "projector" })}` : "";
    return `${location.pathname}?${writeUrl(state, defaults)}${extra}`;
  }
  const classRules = createClassRules({ root: document, store, catalog });
  const classPanel = createClassPanel({
    root: document,
    async onClass(klass) {
      // Joining brings the class's challenge data sets (and leaving takes them away).
      for (const info of await api.datasets()) {
        const challenge = klass?.challenges.find((c) => c.dataset === info.name);
        if (challenge) info.title = challenge.title;
        if (!infos.has(info.name)) {
          infos.set(info.name, info);
          dataPanel.add(info);
        } else if (challenge) infos.get(info.name).title = challenge.title;
      }
      classRules.set(klass?.settings ?? null, (klass?.challenges ?? []).map((c) => c.dataset));
      // A run made before joining (or leaving) is not the class's: the preview is made again.
      if (trainer.isPreview) {
        trainer.reset();
        schedulePreview(0);
      }
      applyHidden();
      dataPanel.render();
      editor.render();
    },
    onPick(challenge) {
      /** @type {HTMLElement | null} */ (document.querySelector(`[data-testid="dataset-${challenge.dataset}"]`))?.click();
      $("#class-menu").open = false;
    },
  });
  const challengeOf = (id) => classPanel.me.class?.challenges.find((c) => c.id === id);
  // Challenges score classes by accuracy (the teacher, in no class, may not know the challenge).
  const metricOf = (id, dataset) => challengeOf(id)?.metric ?? (infos.get(dataset)?.task === "classification" ? "accuracy" : null);
  const myRuns = createMyRuns({
    root: document,
    titleOf: (name) => infos.get(name)?.title,
    metricOf,
    currentId: () => trainer.runId,
    onOpen: (id, { resume }) => openRun(id, { resume }).catch((error) => setErrors("run", error.errors ?? [])),
  });

  async function challengeTitle(id) {
    try {
      for (const klass of await classApi.classes()) {
        const found = (await classApi.challenges(klass.id)).find((c) => c.id === id);
        if (found) return found.title;
      }
    } catch {
      // not the teacher: the data set's title (or "Challenge") stays
    }
    return null;
  }

  /** Follow a kept run again (mine, or a class's run for the teacher): its setup, its history, its stream. */
  async function openRun(id, { resume = false } = {}) {
    const run = await api.run(id);
    if (!infos.has(run.spec.dataset.name)) throw new Error(`unknown data set ${run.spec.dataset.name}`);
    store.update((d) => applySpec(d, run.spec, catalog));
    await loadPreview(); // the points first: new data clears the heatmap a frame may have drawn
    trainer.adopt(run);
    if (projector) {
      // Who and what, readable from the back of the room: the student and the challenge (or data).
      $("#projector-head").hidden = false;
      $("#projector-student").textContent = run.student ?? "";
      const info = infos.get(run.spec.dataset.name);
      $("#projector-challenge").textContent = run.challenge ? info?.title ?? t("projector.challenge") : `${info?.title ?? datasetName(run.spec.dataset.name)} · ${run.architecture ?? ""}`;
      // The teacher's session knows the challenge's title from the class's challenges.
      if (run.challenge && !info?.title) challengeTitle(run.challenge).then((title) => title && ($("#projector-challenge").textContent = title));
    }
    if (resume) trainer.toggle();
  }

  // Before ▶, the untrained model's starting loss: evaluated once per preview run.
  let started = null;
  function followStart(run, frame) {
    if (!run?.id || run.epoch) {
      if (started) charts.setStart(null);
      started = null;
      return;
    }
    if (!frame || started === run.id || !trainer.isPreview) return;
    if (!(store.get().dataset.train_ratio < 1)) return; // no test split: nothing to evaluate on
    started = run.id;
    api.evaluate(run.id).then((values) => {
      if (started === run.id && trainer.runId === run.id) charts.setStart(values);
    }).catch(() => {}); // a data set without a test split has no starting test loss
  }

  // A run on a challenge's data is scored on the hidden rows when it ends: show the score.
  let scored = null;
  function followScore(run) {
    const ended = run?.id && ["done", "stopped"].includes(run.status);
    if (!ended) {
      if (!run?.id || run.id !== scored) $("#run-score").textContent = "";
      return;
    }
    if (scored === run.id) return;
    scored = run.id;
    myRuns.refresh();
    if (!run.spec?.dataset?.name?.startsWith("challenge_")) return; // only a challenge's runs are scored
    classPanel.refresh();
    api.run(run.id).then((answer) => {
      if (answer.score === null || answer.score === undefined || trainer.runId !== run.id) return;
      $("#run-score").textContent = t("mine.score", { score: scoreText(answer.score, metricOf(answer.challenge, answer.spec.dataset.name)) });
    }).catch(() => {});
  }

  // --- first paint ------------------------------------------------------------------------------
  // A lesson's link (`/?lesson=xor-hidden-3`, the way a teacher hands out an exercise) loads the
  // lesson's whole setup, as the Lessons menu does; an address that also holds a setup keeps it.
  const SETUP_PARAMS = URL_FIELDS.map(([key]) => key).filter((key) => !["lesson", "lang", "hide", "showTest", "discretize", "logScale", "auto"].includes(key));
  if (asked.has("lesson") && !asked.has("run") && !SETUP_PARAMS.some((key) => asked.has(key))) lessons.loadById(asked.get("lesson"));
  setLanguage(store.get().lang); // every part draws its words: each listens for the language itself
  applyHidden();
  settings.render();
  if ((infoOf(store.get())?.input_shape ?? []).length > 1) editor.showAdvanced(true);
  loadPreview();
  // "+": a done or stopped run trains as many epochs again (the course trains in chunks).
  $("#continue-button").addEventListener("click", async () => {
    const kept = trainer.detach();
    if (!kept) return;
    const epochs = Number(kept.spec?.fit?.epochs) || 100;
    trainer.adopt(await api.continueRun(kept.id, epochs));
  });
  history.replaceState(null, "", address(store.get()));
  await classPanel.load().catch((error) => console.warn("classroom", error));
  myRuns.refresh();
  if (asked.has("run")) await openRun(asked.get("run")).catch((error) => setErrors("run", error.errors ?? [{ field: "", message: String(error.message) }]));
  else schedulePreview(0);
  document.body.dataset.ready = "true";
}

boot().catch((error) => {
  console.error(error);
  const banner = document.querySelector(".banner");
  banner.textContent = t("error.unreachable");
});
