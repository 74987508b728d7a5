// The controls: run buttons and epoch counter (top bar), the training settings (top bar and the
// "more settings" strip), the data column (dataset picker, sliders, regenerate) and the output options.
//
// Every control sends a partial `set_state` (or a run message) and is redrawn from the server's
// `state` message: the page never changes the state on its own.

import { CLASS_COLORS, colorOf, cssColor } from "./heatmap.js";
import { element } from "../dom.js";

const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10];
export const ACTIVATIONS = [
  ["relu", "ReLU"],
  ["tanh", "Tanh"],
  ["sigmoid", "Sigmoid"],
  ["linear", "Linear"],
];
const PROBLEMS = [
  ["classification", "Classification"],
  ["regression", "Regression"],
  ["multiclass", "Multi-class"],
];
const LOSSES = {
  classification: [
    ["mse", "Squared error"],
    ["bce", "Cross-entropy"],
  ],
  regression: [["mse", "Squared error"]],
  multiclass: [["ce", "Cross-entropy"]],
};
const LOSS_TITLES = {
  mse: "\u00bd(output \u2212 target)\u00b2 with a tanh output (linear for regression), as the TF Playground",
  bce: "Binary cross-entropy with a sigmoid output",
  ce: "Categorical cross-entropy with a softmax output",
};
const OPTIMIZERS = [
  ["sgd", "SGD"],
  ["momentum", "Momentum"],
  ["adam", "Adam"],
  ["rmsprop", "RMSprop"],
  ["adagrad", "Adagrad"],
];
const DROPOUTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
// Epochs per visual update while playing (30 updates/s); 0: as many as fit. 2 is the TF Playground's pace.
const SPEEDS = [
  [1, "1 epoch / update"],
  [2, "2 epochs / update"],
  [5, "5 epochs / update"],
  [10, "10 epochs / update"],
  [50, "50 epochs / update"],
  [0, "As fast as it goes"],
];
export const DATASETS = {
  classification: [
    ["circle", "Circle"],
    ["xor", "XOR"],
    ["gauss", "Gaussian"],
    ["spiral", "Spiral"],
  ],
  regression: [
    ["reg-plane", "Plane"],
    ["reg-gauss", "Gaussians"],
  ],
  multiclass: [
    ["blobs", "Blobs"],
    ["spiral", "Spiral"],
  ],
};

// Dataset thumbnails: 200 points of each generator's shape at noise 0 (an illustration drawn here,
// with a fixed pseudo-random stream; the training data come from the server).
function pseudoRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function thumbnailPoints(name, classes) {
  const random = pseudoRandom(42);
  const uniform = (a, b) => a + random() * (b - a);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const points = [];
  for (let i = 0; i < 200; i += 1) {
    const half = i < 100;
    if (name === "circle") {
      const r = half ? uniform(0, 2.5) : uniform(3.5, 5);
      const a = uniform(0, 2 * Math.PI);
      points.push([r * Math.sin(a), r * Math.cos(a), half ? 1 : -1]);
    } else if (name === "xor") {
      const x = uniform(-5, 5);
      const y = uniform(-5, 5);
      points.push([x + Math.sign(x) * 0.3, y + Math.sign(y) * 0.3, x * y >= 0 ? 1 : -1]);
    } else if (name === "gauss") {
      const c = half ? 2 : -2;
      points.push([c + normal(), c + normal(), half ? 1 : -1]);
    } else if (name === "reg-plane") {
      const x = uniform(-6, 6);
      const y = uniform(-6, 6);
      points.push([x, y, (x + y) / 10]);
    } else if (name === "reg-gauss") {
      const x = uniform(-6, 6);
      const y = uniform(-6, 6);
      const centres = [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]];
      let label = 0;
      for (const [cx, cy, sign] of centres) {
        const value = sign * Math.max(0, Math.min(1, 1 - Math.hypot(x - cx, y - cy) / 2));
        label = Math.abs(value) > Math.abs(label) ? value : label;
      }
      points.push([x, y, label]);
    } else if (name === "blobs") {
      const k = i % classes;
      const angle = (2 * Math.PI * k) / classes;
      points.push([3.5 * Math.cos(angle) + normal(), 3.5 * Math.sin(angle) + normal(), k]);
    } else if (name === "spiral") {
      const arms = classes;
      const k = i % arms;
      const r = (Math.floor(i / arms) / (200 / arms)) * 5;
      const t = 1.75 * (r / 5) * 2 * Math.PI + (2 * Math.PI * k) / arms;
      points.push([r * Math.sin(t), r * Math.cos(t), k]);
    }
  }
  return points;
}

function drawThumbnail(canvas, name, problem, classes) {
  const context = canvas.getContext("2d");
  const size = canvas.width;
  context.fillStyle = "#f7f8f9";
  context.fillRect(0, 0, size, size);
  if (name === "csv") {
    context.fillStyle = "#5f6368";
    context.font = "bold 16px system-ui, sans-serif";
    context.textAlign = "center";
    context.textBaseline = "middle";
    context.fillText("CSV", size / 2, size / 2);
    return;
  }
  const multiclass = problem === "multiclass";
  const arms = multiclass ? classes || 3 : 2;
  for (const [x, y, label] of thumbnailPoints(name, arms)) {
    let color;
    if (multiclass) {
      color = cssColor(CLASS_COLORS[label % CLASS_COLORS.length]);
    } else if (name === "spiral") {
      color = colorOf(label === 0 ? 1 : -1);
    } else {
      color = colorOf(label);
    }
    context.fillStyle = color;
    context.beginPath();
    context.arc(((x + 6) / 12) * size, ((6 - y) / 12) * size, 1.6, 0, 2 * Math.PI);
    context.fill();
  }
}

/** A labelled control, hidden by `<control>_hide` through its `data-control`. */
function field(label, control, name, id) {
  const wrapper = element("div", "field");
  if (name) {
    wrapper.dataset.control = name;
  }
  const caption = element("label", "field-label", label);
  if (id) {
    control.id = id;
    caption.htmlFor = id;
  }
  wrapper.append(caption, control);
  return wrapper;
}

function select(options, onChange) {
  const node = element("select");
  for (const [value, label] of options) {
    node.append(new Option(label, String(value)));
  }
  node.addEventListener("change", () => onChange(node.value));
  return node;
}

/** Sets a select's value, adding the option if the state holds a value the list lacks. */
function setSelect(node, value) {
  const text = String(value);
  if (![...node.options].some((option) => option.value === text)) {
    node.append(new Option(text, text));
  }
  node.value = text;
}

function iconButton(id, label, icon, control) {
  const button = element("button", "icon-button");
  button.type = "button";
  button.id = id;
  button.title = label;
  button.setAttribute("aria-label", label);
  button.append(element("span", `icon icon-${icon}`));
  if (control) {
    button.dataset.control = control;
  }
  return button;
}

function checkbox(id, label, name, onChange) {
  const wrapper = element("label", "check");
  wrapper.dataset.control = name;
  const input = element("input");
  input.type = "checkbox";
  input.id = id;
  input.addEventListener("change", () => onChange(input.checked));
  wrapper.append(input, element("span", "", label));
  return { wrapper, input };
}

function slider(id, label, name, { min, max, step }, onChange) {
  const wrapper = element("div", "field slider");
  wrapper.dataset.control = name;
  const caption = element("label", "field-label");
  caption.htmlFor = id;
  const value = element("span", "slider-value");
  caption.append(`${label}: `, value);
  const input = element("input");
  input.type = "range";
  input.id = id;
  Object.assign(input, { min, max, step });
  input.addEventListener("input", () => {
    value.textContent = input.value;
  });
  input.addEventListener("change", () => onChange(Number(input.value)));
  wrapper.append(caption, input);
  return { wrapper, input, value };
}

export class ControlsView {
  /**
   * @param {object} mounts  elements to build into: run, top, data, more, output
   * @param {object} context  { send, store }
   */
  constructor(mounts, context) {
    this.send = context.send;
    this.store = context.store;
    this.running = false;
    this.buildRun(mounts.run);
    this.buildTop(mounts.top);
    this.buildData(mounts.data);
    this.buildMore(mounts.more);
    this.buildOutput(mounts.output);
  }

  setState(changes) {
    this.send({ type: "set_state", state: changes });
  }

  buildRun(root) {
    const reset = iconButton("reset-button", "Reset the network (same initial weights)", "reset", "resetButton");
    reset.addEventListener("click", () => this.send({ type: "reset", newWeights: false }));
    const newWeights = iconButton("new-weights-button", "Reset with new random weights", "dice", "resetButton");
    newWeights.addEventListener("click", () => this.send({ type: "reset", newWeights: true }));
    this.playButton = iconButton("play-pause-button", "Run / pause", "play", "playButton");
    this.playButton.classList.add("play-button");
    this.playButton.addEventListener("click", () => this.send({ type: this.running ? "pause" : "play" }));
    const step = iconButton("step-button", "Train one epoch", "step", "stepButton");
    step.addEventListener("click", () => this.send({ type: "step" }));
    const counter = element("div", "epoch");
    counter.append(element("span", "epoch-label", "Epoch"));
    this.epoch = element("span", "epoch-number", "000000");
    this.epoch.id = "epoch-number";
    counter.append(this.epoch);
    root.append(reset, newWeights, this.playButton, step, counter);
  }

  buildTop(root) {
    this.learningRate = select(
      LEARNING_RATES.map((v) => [v, String(v)]),
      (v) => this.setState({ learningRate: Number(v) }),
    );
    this.activation = select(ACTIVATIONS, (v) => this.setState({ activation: v, layerActivations: [] }));
    this.regularization = select(
      [
        ["none", "None"],
        ["L1", "L1"],
        ["L2", "L2"],
      ],
      (v) => this.setState({ regularization: v }),
    );
    this.regularizationRate = select(
      REGULARIZATION_RATES.map((v) => [v, String(v)]),
      (v) => this.setState({ regularizationRate: Number(v) }),
    );
    this.problem = select(PROBLEMS, (v) => this.changeProblem(v));
    this.classes = select(
      [3, 4, 5, 6].map((k) => [k, String(k)]),
      (v) => this.setState({ classes: Number(v) }),
    );
    this.classesField = field("Classes", this.classes, "problem", "classes");
    root.append(
      field("Learning rate", this.learningRate, "learningRate", "learning-rate"),
      field("Activation", this.activation, "activation", "activation"),
      field("Regularization", this.regularization, "regularization", "regularization"),
      field("Regularization rate", this.regularizationRate, "regularizationRate", "regularization-rate"),
      field("Problem type", this.problem, "problem", "problem"),
      this.classesField,
    );
  }

  /** The server also switches a dataset or a loss that the new problem does not accept. */
  changeProblem(problem) {
    this.setState({ problem });
  }

  buildData(root) {
    const picker = element("div", "datasets");
    picker.dataset.control = "dataset";
    const heading = element("div", "field-label", "Which dataset do you want to use?");
    this.thumbnails = element("div", "thumbnails");
    picker.append(heading, this.thumbnails);
    this.ratio = slider("perc-train-data", "Ratio of training to test data", "percTrainData",
      { min: 10, max: 90, step: 10 }, (v) => this.setState({ percTrainData: v }));
    this.ratio.value.after("%");
    this.noise = slider("noise", "Noise", "noise", { min: 0, max: 50, step: 5 },
      (v) => this.setState({ noise: v }));
    this.batchSize = slider("batch-size", "Batch size", "batchSize", { min: 1, max: 30, step: 1 },
      (v) => this.setState({ batchSize: v }));
    const regenerate = element("button", "text-button", "Regenerate");
    regenerate.type = "button";
    regenerate.id = "regenerate-button";
    regenerate.title = "Draw new data with a new seed";
    regenerate.dataset.control = "dataset";
    regenerate.addEventListener("click", () => this.send({ type: "regenerate" }));
    root.append(picker, this.ratio.wrapper, this.noise.wrapper, this.batchSize.wrapper, regenerate);
  }

  renderThumbnails(state) {
    const key = `${state.problem}:${state.classes}:${state.dataset}:${state.regDataset}`;
    if (key === this.thumbnailKey) {
      return;
    }
    this.thumbnailKey = key;
    const regression = state.problem === "regression";
    const current = regression ? state.regDataset : state.dataset;
    const choices = [...DATASETS[state.problem]];
    if (current === "csv") {
      choices.push(["csv", "Your CSV"]);
    }
    this.thumbnails.replaceChildren();
    for (const [name, label] of choices) {
      const button = element("button", "thumbnail");
      button.type = "button";
      button.dataset.dataset = name;
      button.title = label;
      button.setAttribute("aria-label", label);
      button.classList.toggle("selected", name === current);
      const canvas = element("canvas");
      canvas.width = 64;
      canvas.height = 64;
      drawThumbnail(canvas, name, state.problem, state.classes);
      button.append(canvas, element("span", "thumbnail-label", label));
      button.addEventListener("click", () => {
        if (name !== current) {
          this.setState(regression ? { regDataset: name } : { dataset: name });
        }
      });
      this.thumbnails.append(button);
    }
  }

  buildMore(root) {
    this.loss = select(LOSSES.classification, (v) => this.setState({ loss: v }));
    this.optimizer = select(OPTIMIZERS, (v) => this.setState({ optimizer: v }));
    this.speed = select(SPEEDS, (v) => this.setState({ speed: Number(v) }));
    this.speed.title = "How many epochs to train between two pictures (about 30 pictures per second)";
    this.dropout = select(
      DROPOUTS.map((v) => [v, v === 0 ? "None" : String(v)]),
      (v) => this.setState({ dropout: Number(v) }),
    );
    this.stopLoss = element("input");
    Object.assign(this.stopLoss, { type: "number", min: "0", step: "any", placeholder: "none" });
    this.stopLoss.addEventListener("change", () => {
      const text = this.stopLoss.value.trim();
      this.setState({ stopLoss: text === "" ? null : Number(text) });
    });
    this.stopEpoch = element("input");
    Object.assign(this.stopEpoch, { type: "number", min: "1", step: "1", placeholder: "none" });
    this.stopEpoch.addEventListener("change", () => {
      const text = this.stopEpoch.value.trim();
      this.setState({ stopEpoch: text === "" ? null : Number(text) });
    });
    this.largeLimits = checkbox("large-limits", "Larger limits", "largeLimits",
      (on) => this.setState({ largeLimits: on }));
    this.largeLimits.wrapper.title = "Up to 10 hidden layers of 64 neurons and batches of 256 (slower)";
    root.append(
      field("Loss", this.loss, "loss", "loss"),
      field("Optimizer", this.optimizer, "optimizer", "optimizer"),
      field("Speed", this.speed, "speed", "speed"),
      field("Dropout", this.dropout, "dropout", "dropout"),
      field("Stop at test loss \u2264", this.stopLoss, "stopLoss", "stop-loss"),
      field("Stop after epoch", this.stopEpoch, "stopEpoch", "stop-epoch"),
      this.largeLimits.wrapper,
    );
  }

  buildOutput(root) {
    this.showTestData = checkbox("show-test-data", "Show test data", "showTestData",
      (on) => this.setState({ showTestData: on }));
    this.discretize = checkbox("discretize", "Discretize output", "discretize",
      (on) => this.setState({ discretize: on }));
    root.append(this.showTestData.wrapper, this.discretize.wrapper);
  }

  update(state) {
    setSelect(this.learningRate, state.learningRate);
    setSelect(this.activation, state.activation);
    setSelect(this.regularization, state.regularization);
    setSelect(this.regularizationRate, state.regularizationRate);
    setSelect(this.problem, state.problem);
    setSelect(this.classes, state.classes);
    this.classesField.hidden = state.problem !== "multiclass";
    this.loss.replaceChildren(...LOSSES[state.problem].map(([v, label]) => new Option(label, v)));
    setSelect(this.loss, state.loss);
    this.loss.title = LOSS_TITLES[state.loss] || "";
    setSelect(this.optimizer, state.optimizer);
    setSelect(this.speed, state.speed);
    setSelect(this.dropout, state.dropout);
    this.noise.input.max = state.noise > 50 ? 80 : 50;
    this.batchSize.input.max = state.largeLimits ? 256 : 30;
    for (const [control, value] of [
      [this.ratio, state.percTrainData],
      [this.noise, state.noise],
      [this.batchSize, state.batchSize],
    ]) {
      control.input.value = value;
      control.value.textContent = String(value);
    }
    if (document.activeElement !== this.stopLoss) {
      this.stopLoss.value = state.stopLoss === null || state.stopLoss === undefined ? "" : state.stopLoss;
    }
    if (document.activeElement !== this.stopEpoch) {
      this.stopEpoch.value = state.stopEpoch === null || state.stopEpoch === undefined ? "" : state.stopEpoch;
    }
    this.largeLimits.input.checked = Boolean(state.largeLimits);
    this.showTestData.input.checked = Boolean(state.showTestData);
    this.discretize.input.checked = Boolean(state.discretize);
    this.renderThumbnails(state);
  }

  setFrame(frame) {
    this.running = Boolean(frame.running);
    this.playButton.classList.toggle("playing", this.running);
    this.playButton.querySelector(".icon").className = `icon icon-${this.running ? "pause" : "play"}`;
    this.playButton.setAttribute("aria-label", this.running ? "Pause" : "Run");
    this.epoch.textContent = String(frame.epoch).padStart(6, "0");
  }
}
