// Gradients per layer while a run trains: each layer's mean |∂loss/∂W| on the training rows at
// the run's weights now (GET /api/theory/gradients/{id}, TensorFlow's GradientTape on the
// server), asked about once a second while the panel is open. The vanishing-gradient lessons
// open it: with five sigmoid layers the first layers' gradients are orders of magnitude smaller.

import { api } from "./api.js";
import { onLanguage, t } from "./i18n.js";
import { createRefresher } from "./refresher.js";
import { lineChart } from "./theory/plot.js";

export function createGradientView({ root }) {
  const panel = /** @type {HTMLDetailsElement} */ (root.querySelector("#gradients-panel"));
  const chart = root.querySelector("#gradients-chart");
  const note = root.querySelector("#gradients-note");
  let run = null;
  let answer = null; // the last answer for the followed run

  function render() {
    note.textContent = answer ? t("gradients.note", { rows: answer.rows }) : t("gradients.none");
    if (!answer) {
      chart.replaceChildren();
      delete chart.dataset.epoch;
      return;
    }
    chart.dataset.epoch = String(answer.epoch);
    chart.dataset.kernels = answer.layers.map((layer) => layer.kernel).join(",");
    const points = answer.layers.map((layer, i) => [i + 1, Math.log10(Math.max(layer.kernel, 1e-12))]);
    chart.replaceChildren(lineChart({
      width: 320, height: 180,
      title: t("gradients.caption", { epoch: answer.epoch }),
      series: [{ points, dots: true, label: "log10" }],
      xLabel: t("gradients.layer"), yLabel: "log10 |∂loss/∂W|",
    }));
  }

  const refresher = createRefresher(async (id) => {
    if (!panel.open) return;
    const got = await api.gradients(id);
    if (got.run === run?.id) {
      answer = got;
      render();
    }
  }, 1000);

  panel.addEventListener("toggle", () => {
    if (!panel.open) return;
    refresher.forget();
    refresher.follow(run);
  });

  onLanguage(render); // redrawn in a new language by itself
  return {
    /** After a frame: a new run forgets the old answer; an open panel asks again (at most 1/s). */
    follow(next) {
      if ((next?.id ?? null) !== (run?.id ?? null)) {
        answer = null;
        refresher.forget();
        render();
      }
      run = next;
      if (panel.open) refresher.follow(next);
    },
    /** A lesson that shows the gradients (its `views`) opens the panel; others leave it be. */
    openFor(views) {
      if (views?.includes("gradients") && !panel.open) panel.open = true;
    },
    render,
  };
}
