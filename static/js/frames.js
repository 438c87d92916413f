// The stream's wire format, read in one place: the websocket's text becomes a message, and a
// frame's maps become bytes ready to paint. A change of the frame format touches this file only.

import { decodeMap } from "./maps.js";

/**
 * @typedef {{channels: number, rows: number, cols: number, min: number, max: number, bytes: Uint8Array}} DecodedMap
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

/** One websocket message (JSON text) as an object with a `type`. */
export function parseMessage(text) {
  return JSON.parse(text);
}

/**
 * A frame message's pictures: the output grid (null where the data are not a plane), each
 * hidden layer's unit maps, and the weights.
 * @returns {DecodedFrame}
 */
export function decodeFrame(message) {
  return {
    grid: message.grid ? decodeMap(message.grid) : null,
    neurons: (message.neurons ?? []).map(decodeMap),
    weights: message.weights ?? [],
  };
}
