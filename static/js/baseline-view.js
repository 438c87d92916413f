// The scikit-learn baseline: on request, POST /api/runs/{id}/baseline trains MLPClassifier or
// MLPRegressor with the run's hidden layers on the same split; both scores side by side, with
// what could not be carried over (each note translated from its code).

import { api } from "./api.js";
import { formatNumber, onLanguage, t } from "./i18n.js";
import { messageText } from "./messages.js";

export function createBaselineView({ root }) {
  const button = root.querySelector("#baseline-button");
  const result = root.querySelector("#baseline-result");
  const status = root.querySelector("#baseline-status");
  let run = null;
  let answer = null; // the server's answer for the current run
  let errors = null;
  let busy = false;
  let ticket = 0;

  button.addEventListener("click", async () => {
    if (!run?.id || busy) return;
    const mine = ++ticket;
    busy = true;
    answer = null;
    errors = null;
    render();
    try {
      const got = await api.baseline(run.id);
      if (mine === ticket) answer = got;
    } catch (error) {
      if (mine === ticket) errors = error.errors ?? [{ field: "", message: String(error.message) }];
    } finally {
      if (mine === ticket) busy = false;
      render();
    }
  });

  function row(name, detail, value, testid) {
    const tr = document.createElement("tr");
    const th = document.createElement("th");
    th.textContent = name;
    if (detail) {
      const small = document.createElement("small");
      small.textContent = detail;
      th.append(small);
    }
    const td = document.createElement("td");
    td.className = "num";
    td.dataset.testid = testid;
    td.dataset.value = String(value);
    td.textContent = value === null || value === undefined ? "—" : formatNumber(value, 4);
    tr.append(th, td);
    return tr;
  }

  function note(n) {
    const key = `baseline.note.${n.code}`;
    const text = t(key, n);
    return text === key ? n.message : text;
  }

  function render() {
    // An untouched preview (epoch 0 before ▶) has no Keras score to set beside scikit-learn's.
    const ready = Boolean(run?.id) && run.status !== "starting" && !(run.preview && !run.epoch);
    button.disabled = !ready || busy;
    status.textContent = busy ? t("baseline.training") : errors ? errors.map(messageText).join(" ") : ready ? "" : t("baseline.noRun");
    status.classList.toggle("error", Boolean(errors));
    result.hidden = !answer;
    result.replaceChildren();
    if (!answer) return;
    const metric = answer.metric === "r2" ? "R²" : t("views.accuracy");
    const caption = document.createElement("caption");
    caption.textContent = t("baseline.caption", { metric, split: t(`views.split.${answer.split}`) });
    const layers = answer.hidden_layer_sizes.length ? answer.hidden_layer_sizes.join(", ") : t("baseline.noHidden");
    const table = document.createElement("table");
    table.className = "baseline-table";
    const body = document.createElement("tbody");
    body.append(
      row(t("baseline.keras"), t("baseline.kerasDetail", { epoch: answer.keras_epoch }), answer.keras_test_score, "baseline-keras-score"),
      row(t("baseline.sklearn", { model: answer.model }), t("baseline.sklearnDetail", { layers, activation: answer.activation, n: answer.n_iter }),
        answer.test_score, "baseline-sklearn-score"),
    );
    table.append(caption, body);
    result.append(table);
    if (answer.notes.length) {
      const list = document.createElement("ul");
      list.className = "baseline-notes";
      for (const n of answer.notes) {
        const li = document.createElement("li");
        li.textContent = note(n);
        list.append(li);
      }
      result.append(list);
    }
  }

  onLanguage(render); // redrawn in a new language by itself
  return {
    /** After a frame: the button works once the run exists; a new run forgets the old answer. */
    follow(next) {
      const changed = (next?.id ?? null) !== (run?.id ?? null);
      const was = `${run?.status}/${Boolean(run?.preview && !run?.epoch)}`;
      run = next;
      if (changed) {
        ticket++;
        busy = false;
        answer = null;
        errors = null;
      }
      if (changed || was !== `${next?.status}/${Boolean(next?.preview && !next?.epoch)}`) render();
    },
    render,
  };
}
