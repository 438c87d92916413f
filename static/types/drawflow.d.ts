// Drawflow (npm "drawflow", MIT) ships no types: the part of its API the graph editor uses.
// Its UMD build, imported as a module, sets `self.Drawflow`.

interface DrawflowNodeData {
  id: number;
  name: string;
  data: Record<string, unknown>;
  class: string;
  html: string;
  pos_x: number;
  pos_y: number;
  inputs: Record<string, { connections: { node: string; input: string }[] }>;
  outputs: Record<string, { connections: { node: string; output: string }[] }>;
}

declare class Drawflow {
  constructor(container: HTMLElement, render?: unknown, parent?: unknown);
  reroute: boolean;
  force_first_input: boolean;
  editor_mode: "edit" | "fixed" | "view";
  zoom: number;
  zoom_last_value: number;
  /** The pan, in pixels (the precanvas's translate). */
  canvas_x: number;
  canvas_y: number;
  /** The element that holds the nodes and the lines, moved and scaled by the pan and the zoom. */
  precanvas: HTMLElement;
  /** The path of a line from an output (sx, sy) to an input (ex, ey); replaceable. */
  createCurvature(sx: number, sy: number, ex: number, ey: number, curvature: number, type: string): string;
  start(): void;
  clear(): void;
  addNode(name: string, inputs: number, outputs: number, x: number, y: number, className: string, data: Record<string, unknown>, html: string, typenode?: boolean): number;
  addConnection(outputId: number | string, inputId: number | string, outputClass: string, inputClass: string): void;
  removeNodeId(id: string): void;
  removeSingleConnection(outputId: number | string, inputId: number | string, outputClass: string, inputClass: string): boolean;
  getNodeFromId(id: number | string): DrawflowNodeData;
  on(event: string, callback: (value: any) => void): void;
  zoom_reset(): void;
}

interface Window {
  Drawflow?: typeof Drawflow;
}
