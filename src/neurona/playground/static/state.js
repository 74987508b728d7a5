// The Playground's state on the browser side: a copy of what the server last accepted.
//
// The server owns the state (docs/playground-protocol.md §1). This module only
//   * reads the URL hash into a typed partial dict to send with `set_state`,
//   * writes the server's `query` back into the hash so the URL always reproduces the state,
//   * hides the controls named by `<control>_hide` keys,
//   * builds query strings (the classroom link).

// How each key of the query is typed (protocol §1). Keys not listed here and not ending in
// `_hide` are ignored, as the server ignores unknown keys.
const KEY_TYPES = {
  problem: "string",
  dataset: "string",
  regDataset: "string",
  classes: "int",
  noise: "int",
  percTrainData: "int",
  batchSize: "int",
  seed: "string",
  initSeed: "int",
  learningRate: "float",
  activation: "string",
  layerActivations: "stringList",
  regularization: "string",
  regularizationRate: "float",
  networkShape: "intList",
  dropout: "float",
  loss: "string",
  optimizer: "string",
  speed: "int",
  x: "bool",
  y: "bool",
  xSquared: "bool",
  ySquared: "bool",
  xTimesY: "bool",
  sinX: "bool",
  sinY: "bool",
  showTestData: "bool",
  discretize: "bool",
  initZero: "bool",
  stopLoss: "optionalFloat",
  stopEpoch: "optionalInt",
  largeLimits: "bool",
  hideText: "bool",
};

// The controls a classroom link can hide: the TF Playground's HIDABLE_CONTROLS plus ours (the input
// features can be hidden too, see FEATURES).
export const HIDABLE_CONTROLS = [
  ["showTestData", "Show test data"],
  ["discretize", "Discretize output"],
  ["playButton", "Play button"],
  ["stepButton", "Step button"],
  ["resetButton", "Reset button"],
  ["learningRate", "Learning rate"],
  ["activation", "Activation"],
  ["regularization", "Regularization"],
  ["regularizationRate", "Regularization rate"],
  ["problem", "Problem type"],
  ["dataset", "Which dataset"],
  ["percTrainData", "Ratio of training data"],
  ["noise", "Noise level"],
  ["batchSize", "Batch size"],
  ["numHiddenLayers", "Number of hidden layers"],
  ["loss", "Loss"],
  ["optimizer", "Optimizer"],
  ["dropout", "Dropout"],
  ["upload", "CSV upload"],
  ["speed", "Speed"],
];

// The seven input features, in the order the server lists them (protocol §1).
export const FEATURES = [
  ["x", "X\u2081"],
  ["y", "X\u2082"],
  ["xSquared", "X\u2081\u00b2"],
  ["ySquared", "X\u2082\u00b2"],
  ["xTimesY", "X\u2081X\u2082"],
  ["sinX", "sin(X\u2081)"],
  ["sinY", "sin(X\u2082)"],
];

function parseValue(type, text) {
  // A value that does not parse is sent as the raw text, so the server's error names it.
  if (type === "bool") {
    return text !== "false";
  }
  if (type === "int" || type === "optionalInt") {
    if (text === "" && type === "optionalInt") {
      return null;
    }
    const number = Number(text);
    return Number.isInteger(number) ? number : text;
  }
  if (type === "float" || type === "optionalFloat") {
    if (text === "" && type === "optionalFloat") {
      return null;
    }
    const number = Number(text);
    return text !== "" && Number.isFinite(number) ? number : text;
  }
  if (type === "intList") {
    const items = text === "" ? [] : text.split(",");
    const numbers = items.map(Number);
    return numbers.every(Number.isInteger) ? numbers : text;
  }
  if (type === "stringList") {
    return text === "" ? [] : text.split(",");
  }
  return text;
}

/** Reads a query `k1=v1&k2=v2…` into a typed partial state dict (unknown keys dropped). */
export function parseQuery(query) {
  const dict = {};
  const text = query.startsWith("#") ? query.slice(1) : query;
  for (const part of text.split("&")) {
    if (part === "") {
      continue;
    }
    const equals = part.indexOf("=");
    const key = decodeURIComponent(equals < 0 ? part : part.slice(0, equals));
    const raw = equals < 0 ? "" : decodeURIComponent(part.slice(equals + 1));
    if (key.endsWith("_hide")) {
      dict[key] = raw !== "false";
    } else if (key in KEY_TYPES) {
      dict[key] = parseValue(KEY_TYPES[key], raw);
    }
  }
  return dict;
}

/** Sets (or removes, with false) `key=value` pairs in a query string, keeping the other pairs in order. */
export function editQuery(query, changes) {
  const pairs = query.split("&").filter((part) => part !== "");
  const pending = new Map(Object.entries(changes));
  const out = [];
  for (const part of pairs) {
    const key = decodeURIComponent(part.split("=")[0]);
    if (!pending.has(key)) {
      out.push(part);
      continue;
    }
    const value = pending.get(key);
    pending.delete(key);
    if (value !== false && value !== null) {
      out.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  for (const [key, value] of pending) {
    if (value !== false && value !== null) {
      out.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
    }
  }
  return out.join("&");
}

/** The browser's copy of the server state, plus the session id and the launch token. */
export class Store {
  constructor() {
    const search = new URLSearchParams(window.location.search);
    this.token = search.get("token") || "";
    this.session = null;
    this.state = null;
    this.query = "";
    this.listeners = [];
  }

  /** The state the page was opened with (the URL hash), as a partial dict; null when empty. */
  initialState() {
    const hash = window.location.hash.replace(/^#/, "");
    return hash === "" ? null : parseQuery(hash);
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  /** Applies a `state` message: remember it, rewrite the URL hash, tell the views. */
  accept(state, query) {
    const previous = this.state;
    this.state = state;
    this.query = query;
    const url = `${window.location.pathname}${window.location.search}#${query}`;
    window.history.replaceState(null, "", url);
    for (const listener of this.listeners) {
      listener(state, previous);
    }
    // After the views, which may have rebuilt their elements.
    applyHidden(state);
    document.body.classList.toggle("hide-text", Boolean(state.hideText));
  }

  /** The page URL (with the token) for a query: what a shared or classroom link opens. */
  urlFor(query) {
    return `${window.location.origin}${window.location.pathname}${window.location.search}#${query}`;
  }
}

/** Hides every element whose `data-control` names a control with `<control>_hide` true. */
export function applyHidden(state) {
  for (const element of document.querySelectorAll("[data-control]")) {
    const hidden = Boolean(state[`${element.dataset.control}_hide`]);
    element.classList.toggle("control-hidden", hidden);
  }
}
