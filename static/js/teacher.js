// The teacher view (/teacher): unlock with the teacher key, make a class and show its join code
// big, watch every student's runs live (one poll a second), open one on the projector, run
// challenges with a live leaderboard. English and Korean, like the playground page.

import { api } from "./api.js";
import { classApi } from "./classroom-api.js";
import { browserLanguage, language, onLanguage, setLanguage, t, translateTree } from "./i18n.js";
import { createChallenges } from "./teacher-challenges.js";
import { createClassForm } from "./teacher-class-form.js";
import { createRunsTable } from "./teacher-runs.js";
import { messageText } from "./messages.js";

const $ = (selector) => document.querySelector(selector);
const POLL_MS = 1000;

function showError(error) {
  const slot = $("#teacher-error");
  slot.textContent = error ? (error.errors ?? []).map((e) => (e.field ? `${e.field}: ${messageText(e)}` : messageText(e))).join(" · ") || error.message : "";
}

function renderLanguage() {
  translateTree();
  $("#lang-switch").textContent = t("lang.switch");
  $("#lang-switch").setAttribute("aria-label", t("lang.switchLabel"));
  document.title = t("teacher.title");
}

function setupLanguage() {
  const params = new URLSearchParams(location.search);
  setLanguage(params.get("lang") ?? browserLanguage());
  renderLanguage();
  $("#lang-switch").addEventListener("click", () => {
    const next = language() === "ko" ? "en" : "ko";
    const query = new URLSearchParams(location.search);
    query.set("lang", next);
    history.replaceState(null, "", `${location.pathname}?${query}`);
    setLanguage(next);
  });
}

async function unlockFirst() {
  const me = await classApi.me();
  if (me.teacher) return;
  $("#key-panel").hidden = false;
  $("#teacher-key").focus();
  await new Promise((resolve) => {
    $("#key-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await classApi.unlock($("#teacher-key").value);
        showError(null);
        resolve();
      } catch (error) {
        showError(error);
      }
    });
  });
  $("#key-panel").hidden = true;
}

async function teacherView() {
  const [catalog, datasets] = await Promise.all([api.catalog(), api.datasets()]);
  let classes = await classApi.classes();
  let current = null; // the class shown: {id, name, join_code, settings, students, challenges}
  const params = new URLSearchParams(location.search);
  const select = $("#class-select");

  const challenges = createChallenges({ datasets, onError: showError });
  const table = createRunsTable({ challengeOf: (id) => challenges.get(id) });
  const form = createClassForm({
    catalog, datasets,
    async onSubmit({ id, name, settings }) {
      try {
        const saved = id ? await classApi.patchClass(id, { name, settings }) : await classApi.createClass(name, settings);
        showError(null);
        classes = await classApi.classes();
        if (!id) form.close();
        await choose(saved.id);
        return true;
      } catch (error) {
        showError(error);
        return false;
      }
    },
  });

  function renderClasses() {
    select.replaceChildren(...classes.map((c) => new Option(c.name, c.id)));
    if (current) select.value = current.id;
    $("#class-pick").hidden = classes.length === 0;
  }

  function renderClass() {
    const shown = Boolean(current);
    for (const id of ["#join-panel", "#runs-panel", "#challenges-panel"]) $(id).hidden = !shown;
    if (!current) return;
    $("#join-code").textContent = current.join_code;
    $("#join-address").textContent = location.origin;
    $("#class-title").textContent = current.name;
    $("#student-count").textContent = t("teacher.students", { n: current.students.length });
    table.setMembers(current.members ?? (current.students ?? []).map((name) => ({ name, refused: null })));
    $("#edit-rules").hidden = false;
  }

  async function choose(id) {
    current = { ...(await classApi.getClass(id)) };
    const query = new URLSearchParams(location.search);
    query.set("class", id);
    history.replaceState(null, "", `${location.pathname}?${query}`);
    renderClasses();
    renderClass();
    challenges.setClass(id, current.challenges);
    await poll();
  }

  select.addEventListener("change", () => choose(select.value).catch(showError));
  $("#new-class-button").addEventListener("click", () => form.open(null));
  $("#edit-rules").addEventListener("click", () => form.open(current));

  let ticks = 0;
  async function poll() {
    if (!current) return;
    const id = current.id;
    try {
      const rows = await classApi.classRuns(id);
      if (current?.id === id) table.update(rows);
      challenges.refresh();
      if (ticks++ % 3 === 0) {
        const fresh = await classApi.getClass(id);
        if (current?.id === id) {
          current = fresh;
          renderClass();
        }
      }
    } catch (error) {
      showError(error);
    }
  }

  async function loop() {
    await poll();
    setTimeout(loop, POLL_MS);
  }

  onLanguage(() => {
    renderLanguage();
    form.render();
    renderClass();
    table.render();
    challenges.render();
  });

  $("#teacher-main").hidden = false;
  renderClasses();
  const wanted = classes.find((c) => c.id === params.get("class")) ?? classes.at(-1);
  if (wanted) await choose(wanted.id);
  else form.open(null);
  setTimeout(loop, POLL_MS);
}

async function boot() {
  setupLanguage();
  await unlockFirst();
  await teacherView();
  document.body.dataset.ready = "true";
}

boot().catch((error) => {
  console.error(error);
  showError(error);
});
