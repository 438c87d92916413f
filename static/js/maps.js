// Decoding the stream's maps: {shape: [channels, rows, cols], min, max, data: base64 bytes}.

/** The map's bytes, one per value, channel after channel, row 0 at the top (x2 = +6). */
export function decodeMap(map) {
  const raw = atob(map.data);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  const [channels, rows, cols] = map.shape;
  return { channels, rows, cols, min: map.min, max: map.max, bytes };
}

/** Value of byte `b` of a decoded map. */
export const valueOf = (map, b) => map.min + (b / 255) * (map.max - map.min);

/** Paint channel `c` of a decoded map into `canvas` through a 256-entry Uint32 colour table. */
export function paintChannel(canvas, map, c, table) {
  if (canvas.width !== map.cols || canvas.height !== map.rows) {
    canvas.width = map.cols;
    canvas.height = map.rows;
  }
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(map.cols, map.rows);
  const out = new Uint32Array(image.data.buffer);
  const size = map.rows * map.cols;
  const offset = c * size;
  for (let i = 0; i < size; i++) out[i] = table[map.bytes[offset + i]];
  ctx.putImageData(image, 0, 0);
}
