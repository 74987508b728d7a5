// The output heatmap: the network's output over [−6, 6]², the data points, axes and the legend.
//
// Also home of the colour scale every view shares (TF Playground, playground.md §5): orange #f59322
// for −1, grey #e8eaeb for 0, blue #0877bd for +1; heatmaps quantise it to 30 shades with alpha 160.

import { element } from "../dom.js";

const ORANGE = [245, 147, 34];
const GREY = [232, 234, 235];
const BLUE = [8, 119, 189];
const SHADES = 30;
const ALPHA = 160;
const DOMAIN = 6;

// Multiclass: one colour per class, paler where the network is less confident.
export const CLASS_COLORS = [
  [245, 147, 34],
  [8, 119, 189],
  [46, 160, 67],
  [142, 84, 196],
  [214, 54, 56],
  [23, 170, 180],
];

/** The colour of class `label` (a non-integer label, from a frame of another problem, is grey). */
export function classColor(label) {
  const rgb = Number.isInteger(label) && label >= 0 ? CLASS_COLORS[label % CLASS_COLORS.length] : GREY;
  return cssColor(rgb);
}

function mix(a, b, t) {
  return [0, 1, 2].map((i) => Math.round(a[i] + (b[i] - a[i]) * t));
}

/** The continuous scale: −1 orange, 0 grey, +1 blue (clamped); NaN is grey. */
export function rgbOf(value) {
  if (!Number.isFinite(value)) {
    return GREY;
  }
  const v = Math.max(-1, Math.min(1, value));
  return v < 0 ? mix(GREY, ORANGE, -v) : mix(GREY, BLUE, v);
}

export function cssColor(rgb) {
  return `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
}

export function colorOf(value) {
  return cssColor(rgbOf(value));
}

// The 31 quantised shades of d3.scale.quantize over [−1, 1] (as the TF Playground builds them).
const PALETTE = Array.from({ length: SHADES + 1 }, (_, i) => rgbOf((i / SHADES) * 2 - 1));

function shadeOf(value) {
  if (!Number.isFinite(value)) {
    return GREY;
  }
  const index = Math.floor(((value + 1) / 2) * (SHADES + 1));
  return PALETTE[Math.max(0, Math.min(SHADES, index))];
}

function decodeBytes(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

/**
 * Paints a heatmap message `H` (protocol §3.3) into a canvas of H.w × H.h pixels.
 * Rows run from the top (y = +6) down; values map back from bytes to [min, max].
 */
export function paintHeatmap(canvas, heatmap, { discretize = false } = {}) {
  if (!heatmap.bytes) {
    heatmap.bytes = decodeBytes(heatmap.data);
  }
  const { w, h, bytes } = heatmap;
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const context = canvas.getContext("2d");
  const image = context.createImageData(w, h);
  const pixels = image.data;
  const classes = heatmap.classes || 0;
  const span = heatmap.max - heatmap.min;
  for (let cell = 0; cell < w * h; cell += 1) {
    let rgb;
    if (classes > 0) {
      rgb = classShade(bytes[2 * cell], bytes[2 * cell + 1] / 255, classes, discretize);
    } else {
      let value = heatmap.min + (bytes[cell] / 255) * span;
      if (discretize) {
        value = value > 0 ? 1 : -1;
      }
      rgb = shadeOf(value);
    }
    pixels[4 * cell] = rgb[0];
    pixels[4 * cell + 1] = rgb[1];
    pixels[4 * cell + 2] = rgb[2];
    pixels[4 * cell + 3] = ALPHA;
  }
  context.putImageData(image, 0, 0);
}

function classShade(label, confidence, classes, discretize) {
  const color = CLASS_COLORS[label % CLASS_COLORS.length];
  if (discretize) {
    return color;
  }
  // Confidence runs from 1/k (a guess) to 1 (certain); below chance it is plain grey.
  const chance = 1 / classes;
  const strength = Math.max(0, Math.min(1, (confidence - chance) / (1 - chance)));
  return mix(GREY, color, 0.25 + 0.75 * strength);
}

const PLOT = 300;
const LEFT = 26;
const BOTTOM = 20;
const TOP = 6;
const RIGHT = 6;
const TICKS = [-6, -4, -2, 0, 2, 4, 6];

export class HeatmapView {
  constructor(root) {
    this.root = root;
    this.state = null;
    this.output = null;
    this.neuron = null;
    this.hovered = null;
    this.points = { train: [], test: [] };
    this.background = element("canvas");
    this.canvas = element("canvas", "heatmap-canvas");
    this.canvas.id = "output-heatmap";
    this.caption = element("div", "heatmap-caption");
    this.legend = element("div", "legend");
    root.append(this.canvas, this.caption, this.legend);
    this.resize();
  }

  resize() {
    const ratio = window.devicePixelRatio || 1;
    const width = LEFT + PLOT + RIGHT;
    const height = TOP + PLOT + BOTTOM;
    this.canvas.width = Math.round(width * ratio);
    this.canvas.height = Math.round(height * ratio);
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.ratio = ratio;
  }

  setState(state, previous) {
    this.state = state;
    const legendKey = `${state.problem}:${state.classes}`;
    if (!previous || legendKey !== this.legendKey) {
      this.legendKey = legendKey;
      this.buildLegend(state);
    }
    this.draw();
  }

  setFrame(frame) {
    if (frame.output) {
      this.output = frame.output;
    }
    if (frame.points) {
      this.points = { train: frame.points.train || [], test: frame.points.test || [] };
    }
    this.draw();
  }

  /** While a node is hovered the heatmap shows that node's output (asked of the server). */
  hover(node, label = "a neuron") {
    this.hovered = node;
    this.hoveredLabel = label;
    this.neuron = null;
    this.draw();
  }

  showNeuron(node, heatmap) {
    if (this.hovered && node[0] === this.hovered[0] && node[1] === this.hovered[1]) {
      this.neuron = heatmap;
      this.draw();
    }
  }

  draw() {
    const showing = this.neuron || this.output;
    this.canvas.dataset.showing = this.neuron ? "neuron" : "output";
    const discretize = Boolean(this.state && this.state.discretize);
    this.caption.textContent = this.hovered ? `Showing ${this.hoveredLabel}` : "";
    const context = this.canvas.getContext("2d");
    context.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    context.clearRect(0, 0, LEFT + PLOT + RIGHT, TOP + PLOT + BOTTOM);
    context.fillStyle = "#ffffff";
    context.fillRect(LEFT, TOP, PLOT, PLOT);
    if (showing) {
      paintHeatmap(this.background, showing, { discretize: discretize && !this.neuron });
      context.imageSmoothingEnabled = true;
      context.drawImage(this.background, LEFT, TOP, PLOT, PLOT);
    }
    this.drawPoints(context, this.points.train, "#ffffff");
    if (this.state && this.state.showTestData) {
      this.drawPoints(context, this.points.test, "#1f2328");
    }
    this.drawAxes(context);
  }

  drawPoints(context, points, stroke) {
    const multiclass = this.state && this.state.problem === "multiclass";
    context.lineWidth = 1;
    context.strokeStyle = stroke;
    for (const [x, y, label] of points) {
      if (Math.abs(x) > DOMAIN || Math.abs(y) > DOMAIN) {
        continue;
      }
      const px = LEFT + ((x + DOMAIN) / (2 * DOMAIN)) * PLOT;
      const py = TOP + ((DOMAIN - y) / (2 * DOMAIN)) * PLOT;
      context.beginPath();
      context.arc(px, py, 3, 0, 2 * Math.PI);
      context.fillStyle = multiclass ? classColor(label) : colorOf(label);
      context.fill();
      context.stroke();
    }
  }

  drawAxes(context) {
    context.strokeStyle = "#9aa0a6";
    context.fillStyle = "#5f6368";
    context.lineWidth = 1;
    context.font = "10px system-ui, sans-serif";
    context.strokeRect(LEFT + 0.5, TOP + 0.5, PLOT - 1, PLOT - 1);
    for (const tick of TICKS) {
      const offset = ((tick + DOMAIN) / (2 * DOMAIN)) * PLOT;
      const x = LEFT + offset;
      const y = TOP + PLOT - offset;
      context.beginPath();
      context.moveTo(x, TOP + PLOT);
      context.lineTo(x, TOP + PLOT + 4);
      context.moveTo(LEFT - 4, y);
      context.lineTo(LEFT, y);
      context.stroke();
      context.textAlign = "center";
      context.textBaseline = "top";
      context.fillText(String(tick), x, TOP + PLOT + 6);
      context.textAlign = "right";
      context.textBaseline = "middle";
      context.fillText(String(tick), LEFT - 6, y);
    }
  }

  buildLegend(state) {
    this.legend.replaceChildren();
    if (state.problem === "multiclass") {
      for (let k = 0; k < (state.classes || 3); k += 1) {
        const item = element("span", "legend-class");
        const swatch = element("span", "swatch");
        swatch.style.backgroundColor = cssColor(CLASS_COLORS[k % CLASS_COLORS.length]);
        item.append(swatch, `class ${k}`);
        this.legend.append(item);
      }
      this.legend.append(element("span", "legend-note", "paler = less confident"));
      return;
    }
    const bar = element("canvas", "legend-bar");
    bar.width = SHADES + 1;
    bar.height = 1;
    const context = bar.getContext("2d");
    PALETTE.forEach((rgb, i) => {
      context.fillStyle = cssColor(rgb);
      context.fillRect(i, 0, 1, 1);
    });
    const row = element("div", "legend-row");
    row.append(element("span", "", "\u22121"), bar, element("span", "", "1"));
    this.legend.append(row, element("div", "legend-text", "Colours show data, neuron and weight values."));
  }
}
