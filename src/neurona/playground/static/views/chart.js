// The loss chart: training loss (black) and test loss (grey) per epoch, autoscaled, with the current
// numbers (3 decimals) and, for classification, the accuracy next to them.

import { element } from "../dom.js";

const WIDTH = 300;
const HEIGHT = 64;
const MAX_POINTS = 2000;

function formatLoss(value) {
  if (value === null || value === undefined) {
    return "\u2013";
  }
  return Number.isFinite(value) ? value.toFixed(3) : String(value);
}

function formatAccuracy(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) {
    return "\u2013";
  }
  return `${(100 * value).toFixed(1)}%`;
}

function statRow(label, id) {
  const row = element("div", "stat");
  const name = element("span", "stat-label", label);
  const value = element("span", "stat-value", "\u2013");
  value.id = id;
  row.append(name, value);
  return { row, value };
}

export class ChartView {
  constructor(root) {
    this.root = root;
    this.series = [];
    this.lastEpoch = -1;
    const numbers = element("div", "stats");
    const testLoss = statRow("Test loss", "test-loss");
    const trainLoss = statRow("Training loss", "train-loss");
    const testAccuracy = statRow("Test accuracy", "test-accuracy");
    const trainAccuracy = statRow("Training accuracy", "train-accuracy");
    this.testAccuracyRow = testAccuracy.row;
    this.trainAccuracyRow = trainAccuracy.row;
    const losses = element("div", "stat-column");
    losses.append(testLoss.row, trainLoss.row);
    const accuracies = element("div", "stat-column");
    accuracies.append(testAccuracy.row, trainAccuracy.row);
    numbers.append(losses, accuracies);
    this.values = {
      testLoss: testLoss.value,
      trainLoss: trainLoss.value,
      testAccuracy: testAccuracy.value,
      trainAccuracy: trainAccuracy.value,
    };
    this.canvas = element("canvas", "loss-chart");
    this.canvas.id = "loss-chart";
    const ratio = window.devicePixelRatio || 1;
    this.ratio = ratio;
    this.canvas.width = Math.round(WIDTH * ratio);
    this.canvas.height = Math.round(HEIGHT * ratio);
    this.canvas.style.width = `${WIDTH}px`;
    this.canvas.style.height = `${HEIGHT}px`;
    const key = element("div", "chart-key");
    key.append(element("span", "key-train", "training"), element("span", "key-test", "test"));
    root.append(numbers, this.canvas, key);
  }

  setFrame(frame) {
    if (frame.epoch < this.lastEpoch) {
      this.series = [];
    }
    this.lastEpoch = frame.epoch;
    for (const point of frame.history || []) {
      // A point at or before the last one means the run was reset: start the curve again.
      while (this.series.length > 0 && this.series[this.series.length - 1][0] >= point[0]) {
        this.series.pop();
      }
      this.series.push(point);
    }
    if (this.series.length > MAX_POINTS) {
      this.series = this.series.filter((_, i) => i % 2 === 0 || i === this.series.length - 1);
    }
    if (frame.loss) {
      this.values.testLoss.textContent = formatLoss(frame.loss.test);
      this.values.trainLoss.textContent = formatLoss(frame.loss.train);
    }
    const accuracy = frame.accuracy || {};
    const hasAccuracy = accuracy.train !== null && accuracy.train !== undefined;
    this.testAccuracyRow.hidden = !hasAccuracy;
    this.trainAccuracyRow.hidden = !hasAccuracy;
    this.values.testAccuracy.textContent = formatAccuracy(accuracy.test);
    this.values.trainAccuracy.textContent = formatAccuracy(accuracy.train);
    this.draw();
  }

  draw() {
    const context = this.canvas.getContext("2d");
    context.setTransform(this.ratio, 0, 0, this.ratio, 0, 0);
    context.clearRect(0, 0, WIDTH, HEIGHT);
    const finite = this.series.filter((p) => Number.isFinite(p[1]) || Number.isFinite(p[2]));
    if (finite.length < 2) {
      return;
    }
    let low = Infinity;
    let high = -Infinity;
    for (const [, train, test] of finite) {
      for (const value of [train, test]) {
        if (Number.isFinite(value)) {
          low = Math.min(low, value);
          high = Math.max(high, value);
        }
      }
    }
    if (high - low < 1e-9) {
      high = low + 1e-9;
    }
    const first = finite[0][0];
    const last = finite[finite.length - 1][0];
    const x = (epoch) => ((epoch - first) / Math.max(1, last - first)) * (WIDTH - 2) + 1;
    const y = (value) => HEIGHT - 2 - ((value - low) / (high - low)) * (HEIGHT - 4);
    this.line(context, finite, 2, "#9aa0a6", x, y);
    this.line(context, finite, 1, "#1f2328", x, y);
  }

  line(context, points, column, color, x, y) {
    context.beginPath();
    context.strokeStyle = color;
    context.lineWidth = 1.5;
    let drawing = false;
    for (const point of points) {
      const value = point[column];
      if (!Number.isFinite(value)) {
        drawing = false;
        continue;
      }
      if (drawing) {
        context.lineTo(x(point[0]), y(value));
      } else {
        context.moveTo(x(point[0]), y(value));
        drawing = true;
      }
    }
    context.stroke();
  }
}
