// The small live loss curve beside the output (as TensorFlow Playground shows above its output):
// the chart's bounded points, drawn on a small canvas, training loss solid and test loss dashed.

/** @param {{canvas: HTMLCanvasElement}} parts */
export function createSpark({ canvas }) {
  let last = null; // {series, values}
  let drawnAt = -Infinity;
  let timer = 0;

  function draw() {
    if (!last) return;
    const { series, values } = last;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(canvas.clientWidth * dpr));
    const h = Math.max(1, Math.round(canvas.clientHeight * dpr));
    if (canvas.width !== w || canvas.height !== h) [canvas.width, canvas.height] = [w, h];
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    ctx.clearRect(0, 0, w, h);
    const [x, ...ys] = values.data;
    if (x.length < 2) return;
    let lo = Infinity;
    let hi = -Infinity;
    for (const y of ys) for (const v of y) if (v !== null && v !== undefined) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    if (!Number.isFinite(lo)) return;
    if (hi === lo) hi = lo + 1;
    const [x0, x1] = [x[0], x[x.length - 1]];
    const px = (v) => ((v - x0) / (x1 - x0 || 1)) * (w - 2 * dpr) + dpr;
    const py = (v) => h - dpr - ((v - lo) / (hi - lo)) * (h - 2 * dpr);
    ys.forEach((y, k) => {
      ctx.strokeStyle = series[k]?.color ?? "#111827";
      ctx.lineWidth = 1.5 * dpr;
      ctx.setLineDash(series[k]?.dash ? series[k].dash.map((d) => d * dpr) : []);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < x.length; i++) {
        const v = y[i];
        if (v === null || v === undefined) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(px(x[i]), py(v));
        else ctx.moveTo(px(x[i]), py(v));
        pen = true;
      }
      ctx.stroke();
    });
    ctx.setLineDash([]);
  }

  new ResizeObserver(draw).observe(canvas);
  return {
    /** The loss chart's series and bounded data (charts.onLoss). */
    show(series, values) {
      last = { series, values };
      // A small curve needs no 30 redraws a second: at most ten.
      const wait = drawnAt + 100 - performance.now();
      if (wait <= 0) {
        drawnAt = performance.now();
        draw();
      } else if (!timer) {
        timer = setTimeout(() => {
          timer = 0;
          drawnAt = performance.now();
          draw();
        }, wait);
      }
    },
  };
}
