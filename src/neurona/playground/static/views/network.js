// The network view: input features, hidden layers and output units as small heatmaps, joined by
// links whose width shows |w| and whose colour shows its sign; biases as small squares.
//
// Click a feature to switch it on or off; +/− add or remove layers and neurons; hover a node to see
// its output large in the output heatmap; hover a link or a bias to read it, click it to type a value.

import { FEATURES } from "../state.js";
import { ACTIVATIONS } from "./controls.js";
import { CLASS_COLORS, colorOf, cssColor, paintHeatmap } from "./heatmap.js";
import { element } from "../dom.js";

const SVG = "http://www.w3.org/2000/svg";
const TOP = 64;
const FEATURE_X = 74;
const OUTPUT_MARGIN = 46;
const BIAS = 8;
const MAX_HIT_LINKS = 2000;
const LIMITS = { normal: { layers: 6, units: 8 }, large: { layers: 10, units: 64 } };

// What an input feature looks like over the plane, for the features the server does not send (those
// switched off): a 10×10 picture of the feature function, drawn once. Display only.
const FEATURE_FUNCTIONS = {
  x: (x) => x,
  y: (x, y) => y,
  xSquared: (x) => x * x,
  ySquared: (x, y) => y * y,
  xTimesY: (x, y) => x * y,
  sinX: (x) => Math.sin(x),
  sinY: (x, y) => Math.sin(y),
};

function featurePicture(key) {
  const size = 10;
  const bytes = new Uint8Array(size * size);
  for (let row = 0; row < size; row += 1) {
    for (let column = 0; column < size; column += 1) {
      const x = -6 + (column + 0.5) * (12 / size);
      const y = 6 - (row + 0.5) * (12 / size);
      const value = Math.max(-1, Math.min(1, FEATURE_FUNCTIONS[key](x, y)));
      bytes[row * size + column] = Math.round(((value + 1) / 2) * 255);
    }
  }
  return { w: size, h: size, min: -1, max: 1, bytes };
}

function nodeSize(count) {
  if (count <= 8) {
    return 34;
  }
  return count <= 16 ? 20 : 10;
}

function nodeGap(count) {
  return count <= 8 ? 14 : 3;
}

/** Link width: |w| over the domain [0, 5] mapped to [1, 10] px, clamped (TF Playground). */
export function linkWidth(weight) {
  if (!Number.isFinite(weight)) {
    return 1;
  }
  return 1 + (Math.min(Math.abs(weight), 5) / 5) * 9;
}

function smallButton(label, title, onClick) {
  const button = element("button", "small-button", label);
  button.type = "button";
  button.title = title;
  button.setAttribute("aria-label", title);
  button.addEventListener("click", onClick);
  return button;
}

export class NetworkView {
  /** @param {object} context  { send, store, onHoverNode(node | null, label) } */
  constructor(root, context) {
    this.root = root;
    this.send = context.send;
    this.store = context.store;
    this.onHoverNode = context.onHoverNode;
    this.state = null;
    this.layoutKey = "";
    this.lastFrame = null;
    this.header = element("div", "network-header");
    this.body = element("div", "network-body");
    this.body.id = "network";
    this.svg = document.createElementNS(SVG, "svg");
    this.svg.classList.add("links");
    this.card = element("div", "hovercard");
    this.card.hidden = true;
    this.body.append(this.svg);
    root.append(this.header, this.body, this.card);
    document.addEventListener("click", (event) => {
      if (!this.card.hidden && !this.card.contains(event.target) && !event.target.closest(".editable")) {
        this.hideCard();
      }
    });
    window.addEventListener("resize", () => {
      if (this.state) {
        this.layoutKey = "";
        this.setState(this.state);
      }
    });
  }

  limits() {
    return this.state && this.state.largeLimits ? LIMITS.large : LIMITS.normal;
  }

  setState(state) {
    this.state = state;
    const active = FEATURES.map(([key]) => Boolean(state[key]));
    const hidden = FEATURES.map(([name]) => Boolean(state[`${name}_hide`]));
    const key = JSON.stringify([
      state.networkShape, active, hidden, state.problem, state.classes, state.largeLimits,
      state.layerActivations, state.activation, this.root.clientWidth,
    ]);
    if (key !== this.layoutKey) {
      this.layoutKey = key;
      this.build(state, active);
      if (this.lastFrame) {
        this.setFrame(this.lastFrame);
      }
    }
  }

  /** Columns of nodes: the features (all but those hidden), the hidden layers, the output units. */
  build(state, active) {
    const shape = state.networkShape || [];
    const outputs = state.problem === "multiclass" ? state.classes : 1;
    const width = Math.max(420, this.root.clientWidth);
    const outputX = width - OUTPUT_MARGIN - 34;
    const columnX = (i) => FEATURE_X + ((i + 1) * (outputX - FEATURE_X)) / (shape.length + 1);
    const columns = [];
    const activeFeatures = [];
    FEATURES.forEach((_, i) => {
      if (active[i]) {
        activeFeatures.push(i);
      }
    });
    // A feature hidden by a classroom link (`<feature>_hide`) is not drawn at all.
    const shown = FEATURES.map((_, i) => i).filter((i) => !state[`${FEATURES[i][0]}_hide`]);
    columns.push({ kind: "feature", x: FEATURE_X, count: shown.length });
    shape.forEach((count, i) => columns.push({ kind: "hidden", x: columnX(i), count, layer: i + 1 }));
    columns.push({ kind: "output", x: outputX, count: outputs, layer: shape.length + 1 });
    for (const column of columns) {
      column.size = nodeSize(column.count);
      column.gap = nodeGap(column.count);
      column.y = (k) => TOP + k * (column.size + column.gap);
    }
    const height = Math.max(...columns.map((c) => TOP + c.count * (c.size + c.gap))) + 12;
    this.body.replaceChildren(this.svg);
    this.svg.replaceChildren();
    this.svg.setAttribute("width", String(width));
    this.svg.setAttribute("height", String(height));
    this.body.style.height = `${height}px`;
    this.body.style.width = `${width}px`;
    this.nodes = [];
    this.biases = [];
    this.links = [];
    this.buildHeader(shape, columns);
    this.buildFeatures(columns[0], shown, active, activeFeatures);
    for (const column of columns.slice(1)) {
      this.buildUnits(column);
    }
    // Links between consecutive columns (Dense layer `layer` joins column `layer` to `layer + 1`).
    // The first Dense layer's input j is the j-th active feature.
    let from = activeFeatures
      .map((i, j) => ({ column: columns[0], k: shown.indexOf(i), j }))
      .filter((source) => source.k >= 0);
    columns.slice(1).forEach((column, layer) => {
      const to = Array.from({ length: column.count }, (_, k) => ({ column, k, j: k }));
      this.buildLinks(layer, from, to);
      from = to;
    });
  }

  buildHeader(shape, columns) {
    this.header.replaceChildren();
    const features = element("div", "column-title");
    features.append(element("strong", "", "Features"), element("span", "", "Click to switch one on or off"));
    const layers = element("div", "layers-title");
    layers.dataset.control = "numHiddenLayers";
    const limits = this.limits();
    const add = smallButton("+", "Add a hidden layer", () => this.changeShape([...shape, 2]));
    add.id = "add-layer";
    add.disabled = shape.length >= limits.layers;
    const remove = smallButton("\u2212", "Remove the last hidden layer", () => this.changeShape(shape.slice(0, -1)));
    remove.id = "remove-layer";
    remove.disabled = shape.length === 0;
    const count = element("strong", "", `${shape.length} hidden layer${shape.length === 1 ? "" : "s"}`);
    count.id = "num-layers";
    layers.append(add, remove, count);
    if (shape.length >= limits.layers && !this.state.largeLimits) {
      add.title = "At most 6 hidden layers: turn on \u201cLarger limits\u201d for up to 10";
    }
    this.header.append(features, layers);
    const spacing = (columns[columns.length - 1].x - columns[0].x) / (shape.length + 1);
    columns
      .filter((c) => c.kind === "hidden")
      .forEach((column, i) => this.buildLayerControls(column, i, shape, Math.min(84, spacing - 6)));
    const output = columns[columns.length - 1];
    const title = element("div", "layer-controls output-title", "Output");
    title.style.left = `${output.x - 20}px`;
    this.body.append(title);
  }

  /** A hidden layer's +/− neuron buttons and activation, in a box `width` px wide above its column. */
  buildLayerControls(column, i, shape, width) {
    const limits = this.limits();
    const box = element("div", "layer-controls");
    box.style.left = `${column.x + column.size / 2 - width / 2}px`;
    box.style.width = `${width}px`;
    const compact = width < 80;
    const row = element("div", "layer-buttons");
    row.dataset.control = "numHiddenLayers";
    const more = shape.map((n, j) => (j === i ? n + 1 : n));
    const fewer = shape.map((n, j) => (j === i ? n - 1 : n));
    const add = smallButton("+", `Add a neuron to layer ${i + 1}`, () => this.changeShape(more));
    add.classList.add("add-neuron");
    add.disabled = shape[i] >= limits.units;
    if (add.disabled && !this.state.largeLimits) {
      add.title = "At most 8 neurons: turn on \u201cLarger limits\u201d for up to 64";
    }
    const remove = smallButton("\u2212", `Remove a neuron from layer ${i + 1}`, () => this.changeShape(fewer));
    remove.classList.add("remove-neuron");
    remove.disabled = shape[i] <= 1;
    const count = compact ? String(shape[i]) : `${shape[i]} neuron${shape[i] === 1 ? "" : "s"}`;
    const label = element("span", "neuron-count", count);
    label.title = `${shape[i]} neuron${shape[i] === 1 ? "" : "s"}`;
    row.append(remove, label, add);
    const activation = element("select", "layer-activation");
    activation.dataset.control = "activation";
    activation.title = `Activation of hidden layer ${i + 1}`;
    for (const [value, label] of ACTIVATIONS) {
      activation.append(new Option(label, value));
    }
    const own = this.state.layerActivations || [];
    activation.value = own[i] || this.state.activation;
    activation.addEventListener("change", () => {
      const chosen = shape.map((_, j) => (j === i ? activation.value : own[j] || this.state.activation));
      this.send({ type: "set_state", state: { layerActivations: chosen } });
    });
    box.append(row, activation);
    this.body.append(box);
  }

  /** Sends a new shape (the server trims or pads per-layer activations to match). */
  changeShape(shape) {
    this.send({ type: "set_state", state: { networkShape: shape } });
  }

  buildFeatures(column, shown, active, activeFeatures) {
    shown.forEach((i, row) => {
      const [key, label] = FEATURES[i];
      const node = this.makeNode(column, row, "feature-node", i);
      node.dataset.feature = key;
      node.classList.toggle("inactive", !active[i]);
      node.title = active[i] ? `${label}: click to switch off` : `${label}: click to switch on`;
      node.append(element("span", "feature-label", label));
      if (!active[i]) {
        paintHeatmap(node.firstChild, featurePicture(key));
      }
      node.addEventListener("click", () => {
        this.send({ type: "set_state", state: { [key]: !active[i] } });
      });
      // The server may send all seven feature maps or only the active ones.
      this.nodes.push({ layer: 0, index: i, activeIndex: activeFeatures.indexOf(i), canvas: node.firstChild, node });
    });
  }

  buildUnits(column) {
    for (let k = 0; k < column.count; k += 1) {
      const kind = column.kind === "output" ? "output-node" : "hidden-node";
      const node = this.makeNode(column, k, kind);
      node.dataset.layer = String(column.layer);
      if (column.kind === "output" && this.state.problem === "multiclass") {
        node.style.backgroundColor = cssColor(CLASS_COLORS[k % CLASS_COLORS.length]);
        node.title = `Class ${k}`;
      }
      this.nodes.push({ layer: column.layer, index: k, canvas: node.firstChild, node, output: column.kind === "output" });
      const bias = element("div", "bias editable");
      bias.style.left = `${column.x - BIAS - 2}px`;
      bias.style.top = `${column.y(k) + column.size - BIAS + 2}px`;
      const target = { kind: "bias", layer: column.layer - 1, unit: k };
      this.attachCard(bias, target);
      this.body.append(bias);
      this.biases.push({ element: bias, target });
    }
  }

  makeNode(column, k, kind, index = k) {
    const node = element("div", `node ${kind}`);
    node.style.left = `${column.x}px`;
    node.style.top = `${column.y(k)}px`;
    node.style.width = `${column.size}px`;
    node.style.height = `${column.size}px`;
    const canvas = element("canvas");
    canvas.width = 10;
    canvas.height = 10;
    node.append(canvas);
    if (kind !== "output-node") {
      const address = kind === "feature-node" ? [0, index] : [column.layer, k];
      node.addEventListener("mouseenter", () => this.hoverNode(address, kind));
      node.addEventListener("mouseleave", () => this.onHoverNode(null));
    }
    this.body.append(node);
    return node;
  }

  /** Shows a node's output in the big heatmap; features are addressed by their active index. */
  hoverNode(address, kind) {
    if (kind === "feature-node") {
      const entry = this.nodes.find((n) => n.layer === 0 && n.index === address[1]);
      if (entry.activeIndex < 0) {
        return;
      }
      const all = this.lastFrame && this.lastFrame.neurons && this.lastFrame.neurons[0].length === FEATURES.length;
      this.onHoverNode([0, all ? entry.index : entry.activeIndex], `the input ${FEATURES[entry.index][1]}`);
      return;
    }
    this.onHoverNode(address, `neuron ${address[1] + 1} of hidden layer ${address[0]}`);
  }

  buildLinks(layer, from, to) {
    const hit = from.length * to.length <= MAX_HIT_LINKS;
    for (const source of from) {
      for (const sink of to) {
        const x1 = source.column.x + source.column.size;
        const y1 = source.column.y(source.k) + source.column.size / 2;
        const x2 = sink.column.x;
        const y2 = sink.column.y(sink.k) + sink.column.size / 2;
        const middle = (x1 + x2) / 2;
        const d = `M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}`;
        const path = document.createElementNS(SVG, "path");
        path.setAttribute("d", d);
        path.classList.add("link");
        this.svg.append(path);
        const target = { kind: "weight", layer, from: source.j, to: sink.j };
        if (hit) {
          const area = document.createElementNS(SVG, "path");
          area.setAttribute("d", d);
          area.classList.add("link-hover", "editable");
          area.dataset.layer = String(layer);
          area.dataset.from = String(source.j);
          area.dataset.to = String(sink.j);
          this.attachCard(area, target);
          this.svg.append(area);
        }
        this.links.push({ path, target });
      }
    }
  }

  attachCard(item, target) {
    item.addEventListener("mouseenter", (event) => {
      if (!this.editing) {
        this.showCard(target, event, false);
      }
    });
    item.addEventListener("mouseleave", () => {
      if (!this.editing) {
        this.hideCard();
      }
    });
    item.addEventListener("click", (event) => {
      event.stopPropagation();
      this.showCard(target, event, true);
    });
  }

  valueOf(target) {
    const frame = this.lastFrame;
    if (!frame) {
      return NaN;
    }
    try {
      return target.kind === "weight"
        ? frame.weights[target.layer][target.from][target.to]
        : frame.biases[target.layer][target.unit];
    } catch (error) {
      return NaN;
    }
  }

  showCard(target, event, edit) {
    const value = this.valueOf(target);
    const name = target.kind === "weight" ? "Weight" : "Bias";
    const box = this.root.getBoundingClientRect();
    this.card.style.left = `${event.clientX - box.left + 14}px`;
    this.card.style.top = `${event.clientY - box.top - 12}px`;
    this.card.replaceChildren(`${name} is `);
    this.card.hidden = false;
    this.editing = edit;
    if (!edit) {
      this.card.append(element("span", "card-value", Number.isFinite(value) ? value.toFixed(3) : String(value)));
      return;
    }
    const input = element("input", "card-input");
    input.type = "number";
    input.step = "0.1";
    input.value = Number.isFinite(value) ? value.toFixed(3) : "0";
    input.addEventListener("keydown", (keyEvent) => {
      if (keyEvent.key === "Enter" && input.value.trim() !== "" && Number.isFinite(Number(input.value))) {
        this.sendValue(target, Number(input.value));
        this.hideCard();
      } else if (keyEvent.key === "Escape") {
        this.hideCard();
      }
    });
    this.card.append(input, element("span", "card-hint", "Enter to set"));
    input.focus();
    input.select();
  }

  sendValue(target, value) {
    if (target.kind === "weight") {
      this.send({ type: "set_weight", layer: target.layer, from: target.from, to: target.to, value });
    } else {
      this.send({ type: "set_bias", layer: target.layer, unit: target.unit, value });
    }
  }

  hideCard() {
    this.card.hidden = true;
    this.editing = false;
  }

  setFrame(frame) {
    this.lastFrame = frame;
    if (!this.nodes) {
      return;
    }
    const neurons = frame.neurons || [];
    const discretize = Boolean(this.state && this.state.discretize);
    for (const entry of this.nodes) {
      let heatmap = null;
      if (entry.output) {
        heatmap = this.state.problem === "multiclass" ? null : frame.output;
      } else if (entry.layer === 0) {
        const features = neurons[0] || [];
        heatmap = features.length === FEATURES.length ? features[entry.index] : features[entry.activeIndex];
      } else if (neurons[entry.layer]) {
        heatmap = neurons[entry.layer][entry.index];
      }
      if (heatmap) {
        paintHeatmap(entry.canvas, heatmap, { discretize: entry.output && discretize });
      }
    }
    const offset = `${-frame.epoch / 3}`;
    for (const link of this.links) {
      const weight = this.valueOf(link.target);
      link.path.setAttribute("stroke-width", String(linkWidth(weight)));
      link.path.setAttribute("stroke", colorOf(weight));
      link.path.style.strokeDashoffset = offset;
    }
    for (const bias of this.biases) {
      bias.element.style.backgroundColor = colorOf(this.valueOf(bias.target));
    }
  }
}
