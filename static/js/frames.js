// The stream's wire format, read in one place: the websocket's messages become objects, and a
// frame's maps become bytes ready to paint. A change of the frame format touches this file only.
//
// The page asks for binary frames (`?format=binary`): a 12-byte header — type (1 = frame),
// version, status, flags (1 = preparing), epoch (uint32), length of the JSON part (uint32), all
// little-endian —, the JSON part (history; maps and weights by offset), then the bytes: float32
// weights first, then the maps' bytes. Every other message is JSON text.

import { decodeMap } from "./maps.js";

/**
 * @typedef {{channels: number, rows: number, cols: number, min: number, max: number, bytes: Uint8Array, layer?: string}} DecodedMap
 * @typedef {{layer?: string, kernel: number[][], bias: number[]}} LayerWeights
 * @typedef {{grid: DecodedMap | null, neurons: DecodedMap[], weights: LayerWeights[]}} DecodedFrame
 */

/**
 * A stream's error or rejection as an API issue {field, code, params, message}: the message's own
 * code when it has one, else the one sentence the stream is known to send (training diverged).
 */
export function streamIssue(message) {
  if (message.code) return { field: message.field ?? "", code: message.code, params: message.params ?? {}, message: message.message };
  const diverged = /^training diverged at epoch (\d+).*?(?:\(now ([^)]+)\))?, for example/.exec(message.message ?? "");
  if (diverged) return { field: "", code: "diverged", params: { epoch: Number(diverged[1]), rate: diverged[2] ?? "" }, message: message.message };
  return { field: "", message: message.message };
}

export const STREAM_FORMAT = "binary";
const STATUSES = ["running", "paused", "queued", "interrupted", "done", "stopped", "failed"];
const HEADER_BYTES = 12;

/**
 * A float32 array of the bytes, shaped as nested arrays ([rows][cols] for a kernel).
 * @param {ArrayBuffer} buffer
 * @param {number} start
 * @param {{shape: number[], offset: number, length: number}} part
 */
function floats(buffer, start, part) {
  const values = Array.from(new Float32Array(buffer, start + part.offset, part.length / 4));
  if (part.shape.length < 2) return values;
  const cols = part.shape[part.shape.length - 1];
  return Array.from({ length: values.length / cols }, (_, i) => values.slice(i * cols, (i + 1) * cols));
}

/**
 * A binary frame as the object a JSON frame parses to; its maps carry their `bytes`.
 * @param {ArrayBuffer} buffer
 */
function parseBinaryFrame(buffer) {
  const header = new DataView(buffer);
  const length = header.getUint32(8, true);
  const start = HEADER_BYTES + length;
  const message = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, HEADER_BYTES, length)));
  message.type = header.getUint8(0) === 1 ? "frame" : "unknown";
  message.status = STATUSES[header.getUint8(2)];
  message.epoch = header.getUint32(4, true);
  if (header.getUint8(3) & 1) message.preparing = true;
  for (const map of [message.grid, ...(message.neurons ?? [])]) {
    if (map) map.bytes = new Uint8Array(buffer, start + map.offset, map.length);
  }
  for (const layer of message.weights ?? []) {
    layer.kernel = floats(buffer, start, layer.kernel);
    if (layer.bias) layer.bias = floats(buffer, start, layer.bias);
  }
  return message;
}

/** One websocket message (JSON text, or a binary frame) as an object with a `type`. */
export function parseMessage(data) {
  return typeof data === "string" ? JSON.parse(data) : parseBinaryFrame(data);
}

/** A map of a JSON frame (base64 `data`) or of a binary one (its `bytes`), ready to paint. */
function readMap(map) {
  // A hidden layer's maps name their layer (a graph's diagram finds them by name).
  const named = map.layer ? { layer: map.layer } : {};
  if (!map.bytes) return { ...decodeMap(map), ...named };
  const [channels, rows, cols] = map.shape;
  return { channels, rows, cols, min: map.min, max: map.max, bytes: map.bytes, ...named };
}

/**
 * A frame message's pictures: the output grid (null where the data are not a plane), each
 * hidden layer's unit maps, and the weights.
 * @returns {DecodedFrame}
 */
export function decodeFrame(message) {
  return {
    grid: message.grid ? readMap(message.grid) : null,
    neurons: (message.neurons ?? []).map(readMap),
    weights: message.weights ?? [],
  };
}
