// Colour scales shared by the output heatmap, the unit maps, the points and the legend.
// Two classes and numbers use TF Playground's orange–grey–blue; more classes one hue each.

export const ORANGE = [245, 147, 34];
export const BLUE = [8, 119, 189];
export const MID = [232, 234, 235];
export const CLASS_COLORS = [ORANGE, BLUE, [44, 160, 44], [148, 103, 189], [214, 39, 40], [140, 86, 75], [227, 119, 194], [23, 190, 207]];

export const classColor = (k, n) => (n <= 2 ? [ORANGE, BLUE][k] ?? MID : CLASS_COLORS[k % CLASS_COLORS.length]);
export const css = ([r, g, b], a = 1) => (a === 1 ? `rgb(${r},${g},${b})` : `rgba(${r},${g},${b},${a})`);

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
