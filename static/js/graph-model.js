// Graph models (Keras's functional API) as the page holds them: the spec's shape
// {inputs: [{name}], nodes: [{name, layer, inputs: [names]}], outputs: [name]}, and what the
// editor, the diagram and buildSpec ask of one: is it a plain chain, its layers as a stack, each
// node's depth.

/** @typedef {{type: string, [key: string]: unknown}} Layer */
/** @typedef {{name: string, layer: Layer, inputs: string[]}} GraphNode */
/** @typedef {{inputs: {name: string, features?: string[]}[], nodes: GraphNode[], outputs: string[]}} Graph */

export const MERGES = ["Add", "Concatenate", "Multiply", "Average", "Subtract"];
export const MERGE_SYMBOLS = { Add: "+", Concatenate: "⧺", Multiply: "×", Average: "x̄", Subtract: "−" };
export const isMerge = (type) => MERGES.includes(type);

/** A node name Keras accepts (letters, digits, _) not yet in `taken`: dense_1, add_2, … */
export function freshName(type, taken) {
  const base = type.replace(/(.)([A-Z][a-z]+)/g, "$1_$2").replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase().replace(/[^a-z0-9_]/g, "") || "node";
  for (let i = 1; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/** The stack as a chain: x → the first layer → … → the last, which is the output. */
export function chainFrom(layers) {
  const taken = new Set(["x"]);
  let previous = "x";
  const nodes = layers.map((layer) => {
    const name = freshName(layer.type, taken);
    taken.add(name);
    const node = { name, layer: structuredClone(layer), inputs: [previous] };
    previous = name;
    return node;
  });
  return { inputs: [{ name: "x" }], nodes, outputs: nodes.length ? [nodes[nodes.length - 1].name] : [] };
}

/**
 * The nodes in chain order if the graph is a plain chain (one input, each node taking the one
 * before, no merges, the last one the output), else null.
 * @param {Graph | null} graph
 */
export function chainOrder(graph) {
  if (!graph || graph.inputs.length !== 1 || !graph.nodes.length) return null;
  const byInput = new Map();
  for (const node of graph.nodes) {
    if (node.inputs.length !== 1 || isMerge(node.layer.type) || byInput.has(node.inputs[0])) return null;
    byInput.set(node.inputs[0], node);
  }
  const order = [];
  let at = graph.inputs[0].name;
  while (byInput.has(at)) {
    const node = byInput.get(at);
    order.push(node);
    at = node.name;
  }
  if (order.length !== graph.nodes.length || graph.outputs.length !== 1 || graph.outputs[0] !== at) return null;
  return order;
}

export const isChain = (graph) => chainOrder(graph) !== null;

/** Why a graph is not a chain, as a message key (for "back to the stack"). */
export function whyNotChain(graph) {
  if (!graph?.nodes.length) return "graph.whyEmpty";
  if (graph.inputs.length > 1) return "graph.whyInputs";
  if (graph.nodes.some((n) => isMerge(n.layer.type))) return "graph.whyMerge";
  if (graph.nodes.some((n) => n.inputs.length !== 1)) return "graph.whyInputs";
  return "graph.whyBranch";
}

/** The graph's layers as a stack (a chain only). */
export const chainLayers = (graph) => chainOrder(graph)?.map((n) => n.layer) ?? null;

/** Each input's and node's depth: inputs 0, a node one more than its deepest input (a cycle counts once). */
export function depths(graph) {
  const depth = new Map(graph.inputs.map((i) => [i.name, 0]));
  const nodes = new Map(graph.nodes.map((n) => [n.name, n]));
  const visiting = new Set();
  const of = (name) => {
    if (depth.has(name)) return depth.get(name);
    const node = nodes.get(name);
    if (!node || visiting.has(name)) return 0;
    visiting.add(name);
    const d = 1 + Math.max(0, ...node.inputs.map(of));
    visiting.delete(name);
    depth.set(name, d);
    return d;
  };
  for (const node of graph.nodes) of(node.name);
  return depth;
}

/** The names nodes may be called, for the output: nodes no other node takes (the last listed first). */
export function sinks(graph) {
  const used = new Set(graph.nodes.flatMap((n) => n.inputs));
  return graph.nodes.filter((n) => !used.has(n.name)).map((n) => n.name);
}

/**
 * The run spec's "model" for the page's state: the graph when the graph view holds one that is
 * not a plain chain, else the stack (a chain's layers are the stack's).
 */
export function modelSpec(state) {
  if (state.modelView === "graph" && state.graph && !isChain(state.graph)) return { graph: state.graph };
  return { layers: state.layers };
}

/** A run spec's model's layers: the stack's, or a graph's nodes' layers in the order listed. */
export const modelLayers = (model) => model?.layers ?? model?.graph?.nodes?.map((n) => n.layer) ?? [];

/** Whether `g` has the graph's shape (a link's graph may not): inputs and nodes with names, layers and inputs. */
export function isGraph(g) {
  const named = (x) => x && typeof x.name === "string";
  return Boolean(g) && Array.isArray(g.inputs) && g.inputs.length > 0 && g.inputs.every(named) && Array.isArray(g.nodes)
    && g.nodes.every((n) => named(n) && typeof n.layer?.type === "string" && Array.isArray(n.inputs) && n.inputs.every((i) => typeof i === "string"))
    && Array.isArray(g.outputs);
}
