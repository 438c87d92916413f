// The student's class menu in the top bar: join with the teacher's code and a display name,
// then the class's name and your name, its challenges (pick one → its data set), your best
// score and the challenge's leaderboard (refreshed while the menu is open).

import { renderBoard, scoreText } from "./board.js";
import { classApi } from "./classroom-api.js";
import { t } from "./i18n.js";
import { messageText } from "./messages.js";

const BOARD_MS = 3000;

export function createClassPanel({ root, onClass, onPick }) {
  const $ = (selector) => root.querySelector(selector);
  const menu = $("#class-menu");
  const summary = $("#class-summary");
  const error = $("#join-error");
  let me = { display_name: null, teacher: false, class: null };
  let chosen = null; // the challenge whose leaderboard is shown
  let board = [];
  let timer = 0;

  function showError(exc) {
    error.textContent = exc ? exc.errors.map(messageText).join(" · ") : "";
  }

  function renderChallenges() {
    const list = $("#class-challenges");
    list.replaceChildren();
    const challenges = me.class?.challenges ?? [];
    for (const challenge of challenges) {
      const item = document.createElement("li");
      item.dataset.testid = `class-challenge-${challenge.id}`;
      item.classList.toggle("current", challenge.id === chosen);
      const title = document.createElement("button");
      title.type = "button";
      title.className = "challenge-title";
      title.textContent = challenge.title;
      title.addEventListener("click", () => show(challenge.id));
      const pick = document.createElement("button");
      pick.type = "button";
      pick.dataset.testid = "challenge-pick";
      pick.textContent = t("class.pick");
      pick.addEventListener("click", () => {
        show(challenge.id);
        onPick(challenge);
      });
      const best = document.createElement("span");
      best.className = "best";
      best.dataset.testid = "challenge-best";
      const mine = challenge.id === chosen ? board.find((row) => row.name === me.display_name) : null;
      best.textContent = mine ? t("class.best", { score: scoreText(mine.score, mine.metric) }) : "";
      item.append(title, pick, best);
      list.append(item);
    }
    $("#class-no-challenges").hidden = challenges.length > 0;
    $("#class-board").hidden = !chosen || board.length === 0;
    $("#class-board-empty").hidden = !chosen || board.length > 0;
  }

  function render() {
    const klass = me.class;
    summary.textContent = klass ? t("class.in", { klass: klass.name, name: me.display_name }) : t("class.join");
    menu.classList.toggle("joined", Boolean(klass));
    $("#join-form").hidden = Boolean(klass);
    $("#class-info").hidden = !klass;
    if (klass) $("#class-joined").textContent = t("class.joined", { klass: klass.name, name: me.display_name });
    const rules = klass?.settings ?? {};
    $("#class-rules-note").hidden = !(rules.hide?.length || rules.datasets || rules.layers || rules.max_units || rules.max_epochs);
    renderChallenges();
  }

  async function refreshBoard() {
    if (!chosen) return;
    const id = chosen;
    try {
      const answer = await classApi.leaderboard(id);
      if (id !== chosen) return;
      board = answer.leaderboard;
      renderBoard($("#class-board-body"), board, me.display_name);
    } catch {
      board = [];
    }
    renderChallenges();
  }

  function show(id) {
    chosen = id;
    board = [];
    renderChallenges();
    refreshBoard();
  }

  function poll() {
    clearTimeout(timer);
    if (!menu.open || !me.class) return;
    refreshBoard().finally(() => (timer = setTimeout(poll, BOARD_MS)));
  }
  menu.addEventListener("toggle", poll);

  async function adopt(next) {
    const before = JSON.stringify(me.class);
    me = next;
    const challenges = me.class?.challenges ?? [];
    if (!challenges.some((c) => c.id === chosen)) chosen = challenges.at(-1)?.id ?? null;
    render();
    if (JSON.stringify(me.class) !== before) await onClass(me.class);
    poll();
  }

  $("#join-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await adopt(await classApi.join($("#join-code").value.trim(), $("#join-name").value.trim()));
      showError(null);
    } catch (exc) {
      showError(exc);
    }
  });
  $("#leave-class").addEventListener("click", async () => adopt(await classApi.leave()));
  // The teacher may add a challenge while the class works: look again when the menu opens.
  menu.addEventListener("toggle", () => menu.open && me.class && classApi.me().then(adopt).catch(() => {}));

  return {
    /** Who this session is (GET /api/me), at start and whenever it may have changed. */
    async load() {
      await adopt(await classApi.me());
    },
    render,
    get me() {
      return me;
    },
    /** A run ended: its score may have changed the leaderboard. */
    refresh: refreshBoard,
  };
}
