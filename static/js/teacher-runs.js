// The teacher's live table of every student's runs: who, which model on which data, how far
// (a bar), loss, accuracy, status and challenge score. A row opens the run large (projector view).

import { scoreText } from "./board.js";
import { datasetName, formatNumber, language, t } from "./i18n.js";
import { messageText } from "./messages.js";

const $ = (selector) => document.querySelector(selector);

/** The projector view of a run: the playground page, read-only, following the run live. */
export function projectorUrl(id) {
  const params = new URLSearchParams({ run: id, view: "projector", lang: language() });
  return `/?${params}`;
}

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

export function statusText(row) {
  if (row.status === "queued" && row.queue_position) return t("run.queued", { n: row.queue_position });
  return t(`run.status.${row.status}`);
}

export function createRunsTable({ challengeOf }) {
  const body = $("#runs-body");
  const empty = $("#no-runs");
  let rows = [];
  let members = []; // [{name, refused: {code, params, message} | null}]: every student, runs or not

  /** A student without a run to show, or whose last new run was refused: a row that says why. */
  function memberRow(member) {
    const tr = document.createElement("tr");
    tr.className = "member-row";
    tr.dataset.testid = `member-row-${member.name}`;
    tr.dataset.status = member.refused ? "refused" : "none";
    const who = cell(member.name, "student");
    const why = member.refused ? t("teacher.refused", { why: messageText(member.refused) }) : t("teacher.noRunYet");
    const status = cell(why, `status status-${member.refused ? "refused" : "none"}`);
    status.colSpan = 7;
    tr.append(who, status);
    return tr;
  }

  function epochCell(row) {
    const td = document.createElement("td");
    td.className = "epoch-cell";
    const bar = document.createElement("div");
    bar.className = "bar";
    const fill = document.createElement("span");
    fill.style.width = `${Math.min(100, (100 * row.epoch) / Math.max(1, row.epochs))}%`;
    bar.append(fill);
    const count = document.createElement("span");
    count.className = "count";
    count.dataset.testid = "run-epoch";
    count.textContent = `${row.epoch} / ${row.epochs}`;
    td.append(bar, count);
    return td;
  }

  function render() {
    body.replaceChildren();
    for (const row of rows) {
      const tr = document.createElement("tr");
      tr.dataset.testid = `run-row-${row.id}`;
      tr.dataset.status = row.status;
      const who = document.createElement("td");
      const link = document.createElement("a");
      link.href = projectorUrl(row.id);
      link.target = "_blank";
      link.dataset.testid = "run-open";
      link.textContent = row.student ?? "—";
      who.append(link);
      who.className = "student";
      const challenge = row.challenge ? challengeOf(row.challenge) : null;
      const data = challenge?.title ?? datasetName(row.dataset);
      tr.append(
        who,
        cell(row.architecture, "model"),
        cell(data),
        epochCell(row),
        cell(formatNumber(row.loss), "num"),
        cell(row.accuracy === null || row.accuracy === undefined ? "—" : `${(100 * row.accuracy).toFixed(1)}%`, "num"),
        cell(statusText(row), `status status-${row.status}`),
        cell(scoreText(row.score, challenge?.metric), "num score"),
      );
      tr.addEventListener("click", (event) => {
        if (event.target !== link) link.click();
      });
      body.append(tr);
    }
    // Every member appears: one with no run yet, or whose new run was refused, gets a row saying so.
    const withRuns = new Set(rows.map((row) => row.student));
    for (const member of members) if (member.refused || !withRuns.has(member.name)) body.append(memberRow(member));
    empty.hidden = rows.length > 0 || members.length > 0;
  }

  return {
    update(next) {
      rows = next;
      render();
    },
    /** The class's members (GET /api/classes/{id} → members). */
    setMembers(next) {
      members = next ?? [];
      render();
    },
    render,
  };
}
