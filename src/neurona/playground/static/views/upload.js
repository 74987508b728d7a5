// CSV upload: pick a file, the server checks it and lists its columns, then choose the two feature
// columns and the label column. The server's error messages are shown as they come.

import { element } from "../dom.js";

const MAX_BYTES = 2 * 1024 * 1024;

function columnSelect(id, label, columns, chosen) {
  const wrapper = element("div", "field");
  const caption = element("label", "field-label", label);
  caption.htmlFor = id;
  const node = element("select");
  node.id = id;
  for (const column of columns) {
    node.append(new Option(column, column));
  }
  node.value = chosen;
  wrapper.append(caption, node);
  return { wrapper, node };
}

export class UploadView {
  /** @param {object} context  { send, store } */
  constructor(root, context) {
    this.send = context.send;
    this.store = context.store;
    this.root = root;
    root.dataset.control = "upload";
    const title = element("div", "field-label", "Or use your own data");
    const picker = element("label", "text-button file-button");
    this.input = element("input");
    this.input.type = "file";
    this.input.accept = ".csv,text/csv";
    this.input.id = "csv-file";
    picker.append("Upload CSV\u2026", this.input);
    this.input.addEventListener("change", () => {
      const file = this.input.files[0];
      if (file) {
        this.upload(file);
      }
      this.input.value = "";
    });
    this.status = element("div", "upload-status");
    this.status.id = "upload-status";
    this.status.setAttribute("aria-live", "polite");
    this.chooser = element("div", "upload-chooser");
    this.chooser.hidden = true;
    root.append(title, picker, this.status, this.chooser);
  }

  showError(message) {
    this.status.className = "upload-status upload-error";
    this.status.textContent = message;
  }

  showInfo(message) {
    this.status.className = "upload-status";
    this.status.textContent = message;
  }

  async upload(file) {
    this.chooser.hidden = true;
    if (file.size > MAX_BYTES) {
      this.showError(`${file.name} is ${(file.size / 1048576).toFixed(1)} MiB; the limit is 2 MiB.`);
      return;
    }
    if (!this.store.session) {
      this.showError("Not connected to the server yet; try again in a moment.");
      return;
    }
    this.showInfo(`Uploading ${file.name}\u2026`);
    let answer;
    try {
      const text = await file.text();
      const response = await fetch(`/api/upload?session=${encodeURIComponent(this.store.session)}`, {
        method: "POST",
        headers: { "Content-Type": "text/csv", "X-Playground-Token": this.store.token },
        body: text,
      });
      answer = await response.json().catch(() => ({ error: `The server answered ${response.status}.` }));
      if (!response.ok || answer.error) {
        this.showError(answer.error || `The server answered ${response.status}.`);
        return;
      }
    } catch (error) {
      this.showError(`The upload failed: ${error.message}`);
      return;
    }
    this.showInfo(`${file.name}: ${answer.rows} rows, ${answer.columns.length} columns.`);
    this.showChooser(answer);
  }

  /** The column choice: two features and the label, with a preview of the first rows. */
  showChooser({ columns, preview }) {
    this.chooser.replaceChildren();
    const last = columns.length - 1;
    const x1 = columnSelect("csv-x1", "X\u2081 column", columns, columns[0]);
    const x2 = columnSelect("csv-x2", "X\u2082 column", columns, columns[Math.min(1, last)]);
    const label = columnSelect("csv-label", "Label column", columns, columns[last]);
    const table = element("table", "preview");
    const head = element("tr");
    for (const column of columns) {
      head.append(element("th", "", column));
    }
    table.append(head);
    for (const row of (preview || []).slice(0, 5)) {
      const line = element("tr");
      for (const cell of row) {
        line.append(element("td", "", String(cell)));
      }
      table.append(line);
    }
    const use = element("button", "text-button primary", "Train on these columns");
    use.type = "button";
    use.id = "csv-use";
    use.addEventListener("click", () => {
      const chosen = [x1.node.value, x2.node.value, label.node.value];
      if (new Set(chosen).size < 3) {
        this.showError("Choose three different columns: two features and the label.");
        return;
      }
      this.send({ type: "csv_columns", x1: chosen[0], x2: chosen[1], label: chosen[2] });
      this.showInfo(`Training on ${chosen[0]}, ${chosen[1]} \u2192 ${chosen[2]}.`);
      this.chooser.hidden = true;
    });
    const scroller = element("div", "preview-scroller");
    scroller.append(table);
    this.chooser.append(x1.wrapper, x2.wrapper, label.wrapper, scroller, use);
    this.chooser.hidden = false;
  }
}
