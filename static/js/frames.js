// The stream's wire format, read in one place: the websocket's text becomes a message, and a
// frame's maps become bytes ready to paint. A change of the frame format touches this file only.

import { decodeMap } from "./maps.js";

/**
 * @typedef {{channels: number, rows: number, cols: number, min: number, max: number, bytes: Uint8Array}} DecodedMap
 * @typedef {{layer?: string, kernel: number[][], bias: number[]}} LayerWeights
 * @typedef {{grid: DecodedMap | null, neurons: DecodedMap[], weights: LayerWeights[]}} DecodedFrame
 */

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
