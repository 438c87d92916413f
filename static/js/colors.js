// Colour scales shared by the output heatmap, the unit maps, the points and the legend.
// Two classes and numbers use TF Playground's orange–grey–blue; more classes one hue each.

// Okabe–Ito's colour-blind-safe palette: orange and blue for two classes (and the numbers'
// scale), then bluish green, reddish purple, vermillion, sky blue, yellow and black.
export const ORANGE = [230, 159, 0];
export const BLUE = [0, 114, 178];
export const MID = [232, 234, 235];
export const CLASS_COLORS = [ORANGE, BLUE, [0, 158, 115], [204, 121, 167], [213, 94, 0], [86, 180, 233], [240, 228, 66], [0, 0, 0]];
// And a shape per class, so that colour alone never carries a class.
export const CLASS_SHAPES = ["circle", "square", "triangle", "diamond", "cross", "down", "star", "hexagon"];

export const classShape = (k) => CLASS_SHAPES[k % CLASS_SHAPES.length] ?? "circle";

/** Trace class shape `shape` of radius `r` at (x, y) as the context's current path. */
export function shapePath(ctx, shape, x, y, r) {
  ctx.beginPath();
  const poly = (points) => {
    points.forEach(([px, py], i) => (i ? ctx.lineTo(x + px * r, y + py * r) : ctx.moveTo(x + px * r, y + py * r)));
    ctx.closePath();
  };
  const ring = (n, turn, radii = [1]) => poly(Array.from({ length: n * radii.length }, (_, i) => {
    const a = turn + (i * 2 * Math.PI) / (n * radii.length);
    const k = radii[i % radii.length];
    return [k * Math.cos(a), k * Math.sin(a)];
  }));
  switch (shape) {
    case "square": return poly([[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]]);
    case "triangle": return poly([[0, -1.1], [1, 0.75], [-1, 0.75]]);
    case "down": return poly([[0, 1.1], [1, -0.75], [-1, -0.75]]);
    case "diamond": return poly([[0, -1.15], [1, 0], [0, 1.15], [-1, 0]]);
    case "cross": return poly([[-0.35, -1], [0.35, -1], [0.35, -0.35], [1, -0.35], [1, 0.35], [0.35, 0.35], [0.35, 1], [-0.35, 1], [-0.35, 0.35], [-1, 0.35], [-1, -0.35], [-0.35, -0.35]]);
    case "star": return ring(5, -Math.PI / 2, [1.15, 0.5]);
    case "hexagon": return ring(6, 0);
    default: return ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

/** @type {(k: number, n: number) => number[]} */
export const classColor = (k, n) => (n <= 2 ? [ORANGE, BLUE][k] ?? MID : CLASS_COLORS[k % CLASS_COLORS.length]);
/** @type {(rgb: number[], a?: number) => string} */
export const css = ([r, g, b], a = 1) => (a === 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${a})`);

/** @param {number[]} a @param {number[]} b @param {number} w @returns {number[]} */
function mix(a, b, w) {
  return [a[0] + (b[0] - a[0]) * w, a[1] + (b[1] - a[1]) * w, a[2] + (b[2] - a[2]) * w];
}

/** Colour of t in [-1, 1]: orange below 0, blue above. */
export function diverging(t) {
  const c = Math.max(-1, Math.min(1, t));
  return c < 0 ? mix(MID, ORANGE, -c) : mix(MID, BLUE, c);
}

// The output heatmap stops short of the full colours, so the points on it stay visible.
export const HEATMAP_STRENGTH = 0.62;

/**
 * A 256-entry RGBA table for map bytes: byte b stands for lo + b/255·(hi-lo), shown at
 * position (value - centre)/half on the diverging scale; `steps` > 0 quantises (discretize).
 */
export function byteTable(lo, hi, centre, half, steps = 0, strength = 1) {
  const table = new Uint32Array(256);
  const bytes = new Uint8Array(table.buffer);
  for (let b = 0; b < 256; b++) {
    const value = lo + (b / 255) * (hi - lo);
    let t = half > 0 ? (value - centre) / half : 0;
    if (steps > 0) t = t === 0 ? 0 : Math.sign(t) * Math.ceil(Math.min(1, Math.abs(t)) * steps) / steps;
    const [r, g, bl] = diverging(t * strength);
    bytes.set([r, g, bl, 255], b * 4);
  }
  return table;
}
