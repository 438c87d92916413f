// The run's state in the top bar: the ▶ button's label and pressed state, the status word, the
// queue or preparing note and the "+" button. It follows the trainer's run state (a store) and the
// page's language by itself; nothing calls it by hand.

import { onLanguage, t } from "./i18n.js";

/** @typedef {{status: string, preview: boolean, preparing: boolean, queuePosition: number | null, reconnecting?: boolean}} RunState */

/**
 * @param {{root: Document, runState: {get: () => RunState, subscribe: (listener: (state: RunState) => void) => unknown}}} options
 */
export function createRunStatus({ root, runState }) {
  const button = /** @type {HTMLButtonElement} */ (root.querySelector("#train-button"));
  const word = /** @type {HTMLElement} */ (root.querySelector("#run-status"));
  const queue = /** @type {HTMLElement} */ (root.querySelector("#run-queue"));
  const more = /** @type {HTMLElement} */ (root.querySelector("#continue-button"));

  function render() {
    const { status, preview, preparing, queuePosition, reconnecting } = runState.get();
    const running = status === "running" || status === "starting" || status === "queued";
    // An untouched preview (the untrained model before ▶) is no paused run to the student: ▶ trains it.
    const resumable = (status === "paused" && !preview) || status === "interrupted";
    const label = running ? t("run.pause") : resumable ? t("run.resume") : t("run.train");
    const waiting = status === "running" && preparing;
    queue.hidden = status !== "queued" && !waiting && !reconnecting;
    queue.textContent = reconnecting ? t("run.reconnecting")
      : status === "queued" ? t("run.queued", { n: queuePosition ?? "…" }) : waiting ? t("run.preparing") : "";
    more.hidden = status !== "done" && status !== "stopped";
    button.setAttribute("aria-label", label);
    button.title = label;
    button.setAttribute("aria-pressed", String(running));
    button.dataset.status = status;
    word.textContent = t(`run.status.${status}`);
  }

  runState.subscribe(render);
  onLanguage(render);
  render();
  return { render };
}
