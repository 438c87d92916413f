// The theory figures: each asks the server for its numbers (GET /api/theory/<figure>) and draws them,
// with controls to change the inputs or take the next step.

import { language } from "../i18n.js";
import { COLORS, format, lineChart, matrixTable, planeChart } from "./plot.js";

const say = (texts) => texts[language()] ?? texts.en;

async function ask(path, params = {}) {
  const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== "").map(([k, v]) => [k, String(v)]));
  const response = await fetch(`/api/theory/${path}?${query}`, { credentials: "same-origin" });
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail ?? response.statusText);
  return body;
}

function control(label, input) {
  const wrap = document.createElement("label");
  wrap.append(`${label} `, input);
  return wrap;
}

function numberInput(value, step, testid) {
  const input = document.createElement("input");
  input.type = "number";
  input.step = String(step);
  input.value = String(value);
  input.style.width = "6em";
  if (testid) input.dataset.testid = testid;
  return input;
}

function button(text, testid, onClick) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = text;
  b.dataset.testid = testid;
  b.addEventListener("click", onClick);
  return b;
}

function select(options, value, testid) {
  const s = document.createElement("select");
  for (const o of options) s.add(new Option(o, o, false, o === value));
  s.dataset.testid = testid;
  return s;
}

/** The figure's skeleton: a controls row, a line of formulas, the plots, and an error line. */
function frame(root) {
  const controls = document.createElement("div");
  controls.className = "controls";
  const formula = document.createElement("p");
  formula.className = "formula";
  formula.dataset.testid = "theory-formula";
  const plots = document.createElement("div");
  plots.className = "plots";
  const error = document.createElement("p");
  error.className = "error";
  root.append(controls, formula, plots, error);
  const show = async (work) => {
    try {
      error.textContent = "";
      await work();
    } catch (exc) {
      error.textContent = exc.message;
    }
  };
  return { controls, formula, plots, show };
}

function cost(root) {
  const { controls, formula, plots, show } = frame(root);
  const dataset = select(["study_hours", "study_hours_noisy", "x_plus_2"], "study_hours", "theory-dataset");
  const w = numberInput(0, 0.5, "theory-w");
  const alpha = numberInput(0.01, 0.001, "theory-alpha");
  let last = null;
  const draw = () => show(async () => {
    last = await ask("cost", { dataset: dataset.value, w: w.value, alpha: alpha.value });
    formula.textContent = `cost(W) = ${format(last.cost)}, ∂cost/∂W = ${format(last.gradient)}   ${last.update}`;
    plots.replaceChildren(
      lineChart({ series: [{ points: last.curve }], marks: [{ x: last.w, y: last.cost, label: "W" }, { x: last.w_next, y: last.cost_next, color: COLORS[2], label: say({ en: "next", ko: "다음" }) }], xLabel: "W", yLabel: "cost(W)", title: "cost(W)" }),
      lineChart({ series: [{ points: last.x.map((x, i) => [x, last.y[i]]), dots: true, label: say({ en: "data", ko: "데이터" }) }, { points: last.x.map((x) => [x, last.w * x]), label: `H(x) = ${format(last.w)}x` }], xLabel: "x", yLabel: "y", title: say({ en: "the line H(x) = Wx", ko: "직선 H(x) = Wx" }) }),
    );
  });
  const step = button(say({ en: "Take the step", ko: "한 단계 이동" }), "theory-step", () => {
    if (!last) return;
    w.value = String(Number(last.w_next.toPrecision(6)));
    draw();
  });
  for (const input of [dataset, w, alpha]) input.addEventListener("change", draw);
  controls.append(control(say({ en: "data", ko: "데이터" }), dataset), control("W", w), control("α", alpha), step);
  draw();
}

function tensors(root) {
  const { controls, formula, plots, show } = frame(root);
  const dataset = select(["exam_scores", "exam_scores_two", "hours_attendance", "grades", "study_hours", "xor_table", "iris", "diabetes_binary", "digits"], "exam_scores", "theory-dataset");
  const outputs = select(["1", "2"], "1", "theory-outputs");
  const draw = () => show(async () => {
    const got = await ask("tensors", { dataset: dataset.value, outputs: outputs.value });
    const rows = [["", "rank", "shape", "dtype"], ...got.tensors.map((t) => [t.name, t.rank, `[${t.shape.join(", ")}]`, t.dtype])];
    plots.replaceChildren(matrixTable(rows, say({ en: "what the lesson feeds the model", ko: "모델에 넣는 텐서" })));
    formula.textContent = got.product ? `H(X) = XW: ${got.product.formula}` : say({ en: "Pictures: no XW here, a Flatten or Conv2D comes first.", ko: "이미지는 XW 대신 Flatten이나 Conv2D가 먼저 옵니다." });
    if (got.product) {
      const p = got.product;
      plots.append(matrixTable(p.x, `X [${p.shapes[0].join(", ")}]`), matrixTable(p.w, `W [${p.shapes[1].join(", ")}]`), matrixTable(p.h, `H = XW [${p.shapes[2].join(", ")}]`));
    }
  });
  for (const input of [dataset, outputs]) input.addEventListener("change", draw);
  controls.append(control(say({ en: "data", ko: "데이터" }), dataset), control(say({ en: "outputs", ko: "출력 수" }), outputs));
  draw();
}

function logistic(root) {
  const { controls, formula, plots, show } = frame(root);
  const w1 = numberInput(1, 0.25, "theory-w1");
  const w2 = numberInput(1, 0.25, "theory-w2");
  const b = numberInput(0, 0.25, "theory-b");
  const draw = () => show(async () => {
    const got = await ask("logistic", { w1: w1.value, w2: w2.value, b: b.value });
    formula.textContent = `${say({ en: "boundary", ko: "결정 경계" })}: ${got.boundary}   cost = ${format(got.cost)}   accuracy = ${format(got.accuracy)}`;
    plots.replaceChildren(
      lineChart({ series: [{ points: got.sigmoid, label: "σ(z)" }], xLabel: "z", yLabel: "σ(z)", title: "σ(z) = 1 / (1 + e^−z)" }),
      lineChart({ series: [{ points: got.cost_y1, label: "y = 1: −log(h)" }, { points: got.cost_y0, label: "y = 0: −log(1 − h)" }], xLabel: "h", yLabel: "cost", title: say({ en: "the logistic cost", ko: "로지스틱 비용 함수" }) }),
      planeChart({ grid: got.grid, lo: got.grid_range[0], hi: got.grid_range[1], points: got.points, labels: got.labels, line: [got.w1, got.w2, got.b] }),
    );
  });
  for (const input of [w1, w2, b]) input.addEventListener("change", draw);
  controls.append(control("w1", w1), control("w2", w2), control("b", b));
  draw();
}

function softmax(root) {
  const { controls, formula, plots, show } = frame(root);
  const scores = document.createElement("input");
  scores.value = "2.0, 1.0, 0.1";
  scores.dataset.testid = "theory-scores";
  const label = numberInput(0, 1, "theory-label");
  const draw = () => show(async () => {
    const got = await ask("softmax", { scores: scores.value.replace(/\s/g, ""), label: label.value });
    formula.textContent = `−Σ yᵢ·log(pᵢ) = ${got.terms.map((v) => format(v)).join(" + ")} = ${format(got.cross_entropy)}`;
    const rows = [
      [say({ en: "class", ko: "클래스" }), ...got.scores.map((_, i) => i)],
      [say({ en: "score", ko: "점수" }), ...got.scores],
      ["e^score", ...got.exp],
      ["p = softmax", ...got.probabilities],
      [say({ en: "one-hot y", ko: "원-핫 y" }), ...got.onehot],
      ["−y·log(p)", ...got.terms],
    ];
    plots.replaceChildren(matrixTable(rows));
  });
  for (const input of [scores, label]) input.addEventListener("change", draw);
  controls.append(control(say({ en: "scores", ko: "점수" }), scores), control(say({ en: "true class", ko: "정답 클래스" }), label));
  draw();
}

function activations(root, lesson) {
  const { controls, formula, plots, show } = frame(root);
  const depth = numberInput(5, 1, "theory-depth");
  const runId = document.createElement("input");
  runId.placeholder = say({ en: "run id (empty: your newest run)", ko: "실행 id (비우면 가장 최근 실행)" });
  runId.value = new URLSearchParams(location.search).get("run") ?? "";
  const gradientsBox = document.createElement("div");
  const draw = () => show(async () => {
    const got = await ask("activations", { depth: depth.value });
    formula.textContent = got.functions.map((f) => `${f.name}: max f' = ${format(f.max_derivative, 3)} → ^${got.depth} = ${format(f.through_depth, 3)}`).join("   ");
    plots.replaceChildren(...got.functions.map((f) => lineChart({ width: 250, height: 170, title: f.name, series: [{ points: got.x.map((x, i) => [x, f.y[i]]), label: "f" }, { points: got.x.map((x, i) => [x, f.dy[i]]), label: "f'", dashed: true }], yClip: [-3, 6] })), gradientsBox);
  });
  const gradients = button(say({ en: "Gradients per layer of a run", ko: "실행의 층별 경사도" }), "theory-gradients", () => show(async () => {
    if (!runId.value.trim()) {
      // The session's newest run (the one on the page), when no id is typed.
      const runs = await (await fetch("/api/runs", { credentials: "same-origin" })).json();
      runId.value = runs[0]?.id ?? "";
    }
    const got = await ask(`gradients/${encodeURIComponent(runId.value.trim())}`);
    gradientsBox.replaceChildren(lineChart({ title: say({ en: `mean |∂loss/∂W| per layer (epoch ${got.epoch})`, ko: `층별 평균 |∂loss/∂W| (에포크 ${got.epoch})` }), series: [{ points: got.layers.map((l, i) => [i + 1, Math.log10(l.kernel)]), dots: true, label: "log10" }], xLabel: say({ en: "layer", ko: "층" }), yLabel: "log10 |grad|" }));
  }));
  depth.addEventListener("change", draw);
  controls.append(control(say({ en: "layers", ko: "층 수" }), depth), runId, gradients);
  draw();
}

function backprop(root) {
  const { controls, formula, plots, show } = frame(root);
  let step = 0;
  const rate = numberInput(1, 0.1, "theory-rate");
  const draw = () => show(async () => {
    const got = await ask("backprop", { step, learning_rate: rate.value });
    formula.textContent = `${say({ en: "step", ko: "단계" })} ${got.step}: loss = ${format(got.loss)} → ${format(got.loss_after)}   (${say({ en: "by hand = tf.GradientTape", ko: "손 계산 = tf.GradientTape" })}: ${got.agree})`;
    const f = got.forward;
    const c = got.chain;
    plots.replaceChildren(
      matrixTable(got.x.map((x, i) => [...x, got.y[i], ...f.z1[i], ...f.a1[i], f.z2[i][0], f.a2[i][0]]).map((r) => r), say({ en: "forward: x1 x2 | y | z1 | a1 = σ(z1) | z2 | a2 = σ(z2)", ko: "순전파: x1 x2 | y | z1 | a1 = σ(z1) | z2 | a2 = σ(z2)" })),
      matrixTable(c.dz2.map((d, i) => [d[0], ...c.da1[i], ...c.dz1[i]]), "∂L/∂z2 | ∂L/∂a1 = ∂L/∂z2·W2ᵀ | ∂L/∂z1 = ∂L/∂a1 ⊙ a1(1 − a1)"),
      matrixTable([...got.weights.W1, got.weights.b1], "W1, b1"),
      matrixTable([...got.tape.dW1, got.tape.db1], "∂L/∂W1 = xᵀ·∂L/∂z1, ∂L/∂b1"),
      matrixTable([...got.updated.W1, got.updated.b1], say({ en: "W1 − α·∂L/∂W1", ko: "갱신: W1 − α·∂L/∂W1" })),
      matrixTable([...got.weights.W2, got.weights.b2], "W2, b2"),
      matrixTable([...got.tape.dW2, got.tape.db2], "∂L/∂W2 = a1ᵀ·∂L/∂z2, ∂L/∂b2"),
      matrixTable(got.outputs_after.map((o, i) => [got.x[i].join(", "), o]), say({ en: "outputs after the update", ko: "갱신 후 출력" })),
    );
  });
  controls.append(
    control("α", rate),
    button(say({ en: "Next step", ko: "다음 단계" }), "theory-step", () => { step += 1; draw(); }),
    button(say({ en: "100 steps", ko: "100 단계" }), "theory-step-100", () => { step += 100; draw(); }),
    button(say({ en: "Start again", ko: "처음부터" }), "theory-reset", () => { step = 0; draw(); }),
  );
  rate.addEventListener("change", draw);
  draw();
}

function perceptron(root) {
  const { controls, formula, plots, show } = frame(root);
  const gate = select(["AND", "OR", "XOR"], "AND", "theory-gate");
  const epochs = numberInput(10, 1, "theory-epochs");
  const draw = () => show(async () => {
    const got = await ask("perceptron", { gate: gate.value, epochs: epochs.value });
    formula.textContent = `w = [${got.w.map((v) => format(v)).join(", ")}], b = ${format(got.b)}: ${got.separated ? say({ en: "every row right", ko: "모든 행을 맞힘" }) : say({ en: "no line separates the classes", ko: "두 클래스를 나누는 직선이 없음" })}`;
    const grid = Array.from({ length: 24 }, (_, r) => Array.from({ length: 24 }, (_, c) => {
      const x1 = -0.5 + (2 * c) / 23;
      const x2 = 1.5 - (2 * r) / 23;
      return got.w[0] * x1 + got.w[1] * x2 + got.b > 0 ? 1 : 0;
    }));
    plots.replaceChildren(
      planeChart({ grid, lo: -0.5, hi: 1.5, points: got.x, labels: got.y, line: [got.w[0], got.w[1], got.b] }),
      lineChart({ series: [{ points: got.history.map((h) => [h.epoch, h.errors]), dots: true, label: say({ en: "errors", ko: "오류 수" }) }], xLabel: say({ en: "epoch", ko: "에포크" }), yLabel: say({ en: "wrong rows", ko: "틀린 행" }) }),
      matrixTable([["x1", "x2", "y", "ŷ"], ...got.x.map((x, i) => [...x, got.y[i], got.outputs[i]])]),
    );
  });
  for (const input of [gate, epochs]) input.addEventListener("change", draw);
  controls.append(control(say({ en: "gate", ko: "논리 게이트" }), gate), control(say({ en: "epochs", ko: "에포크" }), epochs));
  draw();
}

export const FIGURES = { cost, tensors, logistic, softmax, activations, backprop, perceptron };
