// Asking the server about a run's model (predictions, a report) without flooding it: once each
// time the run's status changes (paused, finished…) and at most every `everyMs` while it trains.

export function createRefresher(ask, everyMs) {
  let done = { key: "", at: 0 };
  let busy = false;
  let latest = null; // the newest run seen, asked about once the answer in flight is back

  function follow(run) {
    latest = run;
    if (!run?.id || run.status === "starting" || busy) return;
    const key = `${run.id}:${run.status}`;
    const due = key !== done.key || (run.status === "running" && performance.now() - done.at > everyMs);
    if (!due) return;
    done = { key, at: performance.now() };
    busy = true;
    Promise.resolve(ask(run.id))
      .catch(() => {})
      .finally(() => {
        busy = false;
        if (latest && `${latest.id}:${latest.status}` !== done.key) follow(latest);
      });
  }

  return {
    follow,
    /** Forget what was asked (a new setup): the next run is asked about from scratch. */
    forget() {
      done = { key: "", at: 0 };
    },
  };
}
