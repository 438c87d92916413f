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
