// Wires the socket, the state and the views. The server owns the state and trains; this page sends
// messages (docs/playground-protocol.md §3.2) and draws what comes back (§3.3).

import { Socket } from "./socket.js";
import { Store } from "./state.js";
import { AlertsView } from "./views/alerts.js";
import { ChartView } from "./views/chart.js";
import { ControlsView } from "./views/controls.js";
import { ExportView } from "./views/export.js";
import { HeatmapView } from "./views/heatmap.js";
import { NetworkView } from "./views/network.js";
import { UploadView } from "./views/upload.js";

const HOVER_REFRESH_MS = 250;

/** The page: one store, one socket and the views, all local to this function (no module-level state). */
function main() {
  const byId = (id) => document.getElementById(id);
  const store = new Store();
  let socket = null;
  const send = (message) => socket.send(message);

  const alerts = new AlertsView(byId("alerts"));
  const heatmap = new HeatmapView(byId("heatmap"));
  let hovered = null;
  let hoverAsked = 0;

  function onHoverNode(node, label) {
    hovered = node;
    heatmap.hover(node, label);
    if (node) {
      hoverAsked = performance.now();
      send({ type: "hover", node });
    }
  }

  const controls = new ControlsView(
    {
      run: byId("run-controls"),
      top: byId("top-settings"),
      data: byId("data-controls"),
      more: byId("more-settings"),
      output: byId("output-options"),
    },
    { send, store },
  );
  const network = new NetworkView(byId("network-view"), { send, store, onHoverNode });
  const chart = new ChartView(byId("chart"));
  new UploadView(byId("upload"), { send, store });
  const exporter = new ExportView(byId("export"), { store });

  store.onChange((state, previous) => {
    controls.update(state);
    network.setState(state);
    heatmap.setState(state, previous);
  });

  // Frames are drawn once per animation frame; frames that arrive in between are merged (the history
  // is incremental and the points come only when the data changed, so neither may be lost).
  let pending = null;
  let scheduled = false;

  function queueFrame(frame) {
    if (pending) {
      frame.history = [...(pending.history || []), ...(frame.history || [])];
      if (!frame.points && pending.points) {
        frame.points = pending.points;
      }
    }
    pending = frame;
    if (!scheduled) {
      scheduled = true;
      requestAnimationFrame(drawFrame);
    }
  }

  function drawFrame() {
    scheduled = false;
    const frame = pending;
    pending = null;
    if (!frame) {
      return;
    }
    controls.setFrame(frame);
    chart.setFrame(frame);
    network.setFrame(frame);
    heatmap.setFrame(frame);
    if (hovered && performance.now() - hoverAsked > HOVER_REFRESH_MS) {
      hoverAsked = performance.now();
      send({ type: "hover", node: hovered });
    }
  }

  function onMessage(message) {
    try {
      dispatch(message);
    } catch (error) {
      console.error("playground: could not show a message", message.type, error);
    }
  }

  function dispatch(message) {
    switch (message.type) {
      case "session":
        store.session = message.id;
        exporter.setSession(message.id);
        break;
      case "state":
        store.accept(message.state, message.query);
        break;
      case "frame":
        queueFrame(message);
        break;
      case "neuron":
        heatmap.showNeuron(message.node, message.heatmap);
        break;
      case "alert":
        alerts.show(message.kind || "alert", message.message);
        break;
      case "warning":
        alerts.show("warning", message.message);
        break;
      case "error":
        alerts.show("error", message.message);
        break;
      default:
        console.warn("playground: unknown message", message.type);
    }
  }

  /**
   * The server answers `hello` with its session's state. A fresh session starts from the default, so
   * send ours: the last one the server accepted (after a reconnection), else the URL's (a shared link).
   */
  function onOpen() {
    socket.sendNow({ type: "hello" });
    const state = store.state || store.initialState();
    if (state) {
      socket.sendNow({ type: "set_state", state });
    }
  }

  let wasOpen = false;

  function onStatus(status) {
    const badge = byId("connection");
    badge.dataset.status = status;
    badge.title = { connecting: "Connecting\u2026", open: "Connected", closed: "Disconnected" }[status];
    if (status === "open") {
      wasOpen = true;
      alerts.clear("connection");
    } else if (status === "closed" && wasOpen) {
      alerts.show("connection", "Lost the connection to the server; reconnecting\u2026 (is `neurona playground` still running?)");
    }
  }

  // Editing the hash by hand (or going back) applies that state.
  window.addEventListener("hashchange", () => {
    const state = store.initialState();
    if (state) {
      send({ type: "set_state", state });
    }
  });

  if (!store.token) {
    alerts.show("error", "This page needs the link printed by `neurona playground` (it carries ?token=\u2026).");
  }
  socket = new Socket({ token: store.token, onMessage, onOpen, onStatus });
  socket.connect();
}

main();
