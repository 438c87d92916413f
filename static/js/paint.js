// Paint your own points on the output plane: each click adds a point of the chosen class (or a
// value to predict); the points become a CSV (x1, x2, label) uploaded as a new data set, which
// the page then selects to train on.

import { api } from "./api.js";
import { classColor, css, diverging } from "./colors.js";
import { onLanguage, t } from "./i18n.js";
import { messageText } from "./messages.js";

const RANGE = 6; // the plane is [-6, 6]², as the heatmap draws it
const CLASSES = 3;

export function createPainter({ root, onCreated }) {
  const toggle = root.querySelector("#paint-toggle");
  const tools = root.querySelector("#paint-tools");
  const canvas = root.querySelector("#paint-canvas");
  const kind = root.querySelector("#paint-kind");
  const value = root.querySelector("#paint-value");
  const count = root.querySelector("#paint-count");
  const status = root.querySelector("#paint-status");
  const train = root.querySelector("#paint-train");
  let on = false;
  let plane = true;
  let points = []; // {x1, x2, label, value: boolean}
  let message = null;

  function draw() {
    const ratio = window.devicePixelRatio || 1;
    const size = canvas.clientWidth || 300;
    canvas.width = canvas.height = Math.round(size * ratio);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, size, size);
    const values = points.filter((p) => p.value).map((p) => p.label);
    const lo = Math.min(...values, 0);
    const hi = Math.max(...values, 1);
    for (const p of points) {
      ctx.beginPath();
      ctx.arc(((p.x1 + RANGE) / (2 * RANGE)) * size, ((RANGE - p.x2) / (2 * RANGE)) * size, 5, 0, 2 * Math.PI);
      ctx.fillStyle = p.value ? css(diverging((2 * (p.label - lo)) / (hi - lo) - 1)) : css(classColor(p.label, CLASSES));
      ctx.fill();
      ctx.strokeStyle = "#111827";
      ctx.lineWidth = 1.5;
      ctx.stroke();
    }
  }

  function render() {
    toggle.hidden = !plane;
    on = on && plane;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? t("paint.stop") : t("paint.start");
    tools.hidden = !on;
    canvas.hidden = !on;
    canvas.parentElement.classList.toggle("painting", on); // the painted points alone, not the data set's
    for (const option of kind.options) option.textContent = option.value === "value" ? t("paint.value") : t("output.class", { name: option.value });
    value.hidden = kind.value !== "value";
    count.textContent = t("paint.count", { n: points.length });
    train.disabled = points.length < 2;
    status.textContent = !message ? "" : Array.isArray(message) ? t(...message) : message;
    if (on) draw();
  }

  toggle.addEventListener("click", () => {
    on = !on;
    render();
  });
  kind.addEventListener("change", render);
  canvas.addEventListener("click", (event) => {
    const box = canvas.getBoundingClientRect();
    const x1 = ((event.clientX - box.left) / box.width) * 2 * RANGE - RANGE;
    const x2 = RANGE - ((event.clientY - box.top) / box.height) * 2 * RANGE;
    const isValue = kind.value === "value";
    points.push({ x1: Number(x1.toFixed(3)), x2: Number(x2.toFixed(3)), label: isValue ? Number(value.value) || 0 : Number(kind.value), value: isValue });
    message = null;
    render();
  });
  root.querySelector("#paint-clear").addEventListener("click", () => {
    points = [];
    message = null;
    render();
  });
  train.addEventListener("click", async () => {
    // Any painted value makes it a number to predict (class points then count as their number).
    const task = points.some((p) => p.value) ? "regression" : "classification";
    const text = ["x1,x2,label", ...points.map((p) => `${p.x1},${p.x2},${p.label}`)].join("\n");
    train.disabled = true;
    message = ["own.sending"];
    render();
    try {
      const info = await api.uploadDataset({ text, label: "label", task });
      message = ["paint.created"];
      onCreated(info);
    } catch (error) {
      message = (error.errors ?? []).map((e) => (e.field ? `${e.field}: ${messageText(e)}` : messageText(e))).join(" · ") || error.message;
    }
    render();
  });

  onLanguage(render); // redrawn in a new language by itself
  return {
    render,
    /** Painting needs the plane: it is offered only while a plane data set is shown. */
    setPlane(isPlane) {
      plane = isPlane;
      render();
    },
  };
}
