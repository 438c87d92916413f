// The run's files to take home (links the server answers as attachments) and the PNG pictures
// of the loss chart and the output. Everything is enabled only while there is a run.

import { runFileUrl } from "./api.js";
import { savePng } from "./pictures.js";

export function createDownloads({ root, pictures }) {
  const links = [...root.querySelectorAll("a[data-file]")];
  const buttons = [...root.querySelectorAll("button[data-picture]")];
  const note = root.querySelector("#downloads-note");
  let runId = null;

  for (const button of buttons) {
    button.addEventListener("click", async () => {
      const kind = button.dataset.picture;
      const canvas = pictures[kind]?.();
      if (!canvas || !runId) return;
      await savePng(canvas, `${kind}-${runId.slice(0, 8)}.png`);
    });
  }

  return {
    /** Point every link at run `id` (null: no run, nothing to download). */
    setRun(id) {
      if (id === runId) return;
      runId = id;
      for (const link of links) {
        if (id) {
          link.href = runFileUrl(id, link.dataset.file);
          link.removeAttribute("aria-disabled");
        } else {
          link.removeAttribute("href");
          link.setAttribute("aria-disabled", "true");
        }
      }
      for (const button of buttons) button.disabled = !id;
      note.hidden = Boolean(id);
    },
  };
}
