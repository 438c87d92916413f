// The teacher's challenges: make one (a data set with a hidden test share) and watch the live
// leaderboard of the one picked.

import { renderBoard } from "./board.js";
import { classApi } from "./classroom-api.js";
import { datasetName, metricName, t } from "./i18n.js";

const $ = (selector) => document.querySelector(selector);

export function createChallenges({ datasets, onError }) {
  const tabs = $("#challenge-tabs");
  const select = $("#challenge-dataset");
  const noise = $("#challenge-noise");
  const hidden = $("#challenge-hidden");
  let classId = null;
  let list = [];
  let chosen = null;

  // Generated planes have noise; the course's tables and the real sets do not.
  const usable = datasets.filter((d) => ["plane", "table", "real"].includes(d.kind) && !d.fixed);
  const infoOf = (name) => usable.find((d) => d.name === name);

  function renderOptions() {
    const keep = select.value;
    select.replaceChildren(...usable.map((d) => new Option(datasetName(d.name), d.name)));
    if (keep) select.value = keep;
    noise.disabled = infoOf(select.value)?.kind !== "plane";
  }
  select.addEventListener("change", () => (noise.disabled = infoOf(select.value)?.kind !== "plane"));
  noise.addEventListener("input", () => ($("#challenge-noise-value").value = noise.value));
  hidden.addEventListener("input", () => ($("#challenge-hidden-value").value = `${hidden.value}%`));

  function renderTabs() {
    tabs.replaceChildren();
    for (const challenge of list) {
      const tab = document.createElement("button");
      tab.type = "button";
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-selected", String(challenge.id === chosen));
      tab.dataset.testid = `challenge-tab-${challenge.id}`;
      tab.textContent = challenge.title;
      tab.addEventListener("click", () => {
        chosen = challenge.id;
        renderTabs();
        refresh();
      });
      tabs.append(tab);
    }
    const current = list.find((c) => c.id === chosen);
    $("#challenge-rows").textContent = current
      ? `${datasetName(current.base?.name ?? "")} · ${t("teacher.rows", { visible: current.visible_rows, hidden: current.hidden_rows, metric: metricName(current.metric) })}`
      : "";
    $("#leaderboard").hidden = !current;
  }

  async function refresh() {
    if (!chosen) {
      $("#board-empty").hidden = true;
      return;
    }
    const id = chosen;
    try {
      const { leaderboard } = await classApi.leaderboard(id);
      if (id !== chosen) return;
      renderBoard($("#leaderboard-body"), leaderboard);
      $("#board-empty").hidden = leaderboard.length > 0;
    } catch (error) {
      onError(error);
    }
  }

  $("#challenge-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const info = infoOf(select.value);
    const dataset = { name: select.value };
    if (info?.kind === "plane") dataset.noise = Number(noise.value);
    try {
      const created = await classApi.createChallenge(classId, {
        title: $("#challenge-title").value.trim(), dataset, hidden_ratio: Number(hidden.value) / 100, seed: 0,
      });
      list.push(created);
      chosen = created.id;
      $("#challenge-title").value = "";
      $("#new-challenge").open = false;
      renderTabs();
      refresh();
      onError(null);
    } catch (error) {
      onError(error);
    }
  });

  renderOptions();
  return {
    /** Show the challenges of class `id` (its list from GET /api/classes/{id}). */
    setClass(id, challenges) {
      if (id !== classId) chosen = null;
      classId = id;
      list = challenges;
      if (!list.some((c) => c.id === chosen)) chosen = list.at(-1)?.id ?? null;
      renderTabs();
      refresh();
    },
    get: (id) => list.find((c) => c.id === id),
    refresh,
    render() {
      renderOptions();
      renderTabs();
    },
  };
}
