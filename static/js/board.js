// A challenge's leaderboard as table rows (the teacher's view and the students' panel share it).

import { formatNumber, metricName } from "./i18n.js";

/** A challenge score as the leaderboard shows it: accuracy in percent, other metrics as numbers. */
export function scoreText(score, metric) {
  if (score === null || score === undefined) return "";
  return metric === "accuracy" ? `${(100 * score).toFixed(1)}%` : formatNumber(score, 3);
}

/** Fill `tbody` with the leaderboard's rows; the row named `me` is marked. */
export function renderBoard(tbody, rows, me = null) {
  tbody.replaceChildren();
  for (const row of rows) {
    const tr = document.createElement("tr");
    tr.dataset.testid = "board-row";
    if (me && row.name === me) tr.className = "me";
    const score = scoreText(row.score, row.metric);
    for (const [text, className] of [
      [String(row.rank), "rank"], [row.name, "name"], [score, "num"], [String(row.epoch), "num"], [row.architecture, "model"],
    ]) {
      const td = document.createElement("td");
      td.className = className;
      td.textContent = text;
      if (className === "num" && text === score) td.title = metricName(row.metric);
      tr.append(td);
    }
    tbody.append(tr);
  }
}
