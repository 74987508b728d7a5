// Sharing and export: download the trained model and a Python script (from /api/export/…), copy a
// link to the current state, and the "classroom link" dialog that builds a link with chosen controls
// hidden (`<control>_hide=true` in the URL hash).

import { FEATURES, HIDABLE_CONTROLS, editQuery } from "../state.js";
import { element } from "../dom.js";

function download(id, label, title) {
  const link = element("a", "text-button", label);
  link.id = id;
  link.title = title;
  link.setAttribute("aria-disabled", "true");
  return link;
}

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch (error) {
    button.textContent = "Select and copy";
  }
  setTimeout(() => {
    button.textContent = "Copy";
  }, 1500);
}

export class ExportView {
  /** @param {object} context  { store } */
  constructor(root, context) {
    this.store = context.store;
    this.model = download("export-model", "Download model", "The trained network as a neurona model file");
    this.script = download("export-script", "Python script", "A script that rebuilds the data and trains this network");
    const share = element("button", "text-button", "Copy link");
    share.type = "button";
    share.id = "share-link";
    share.title = "A link that reproduces these settings and data (not the trained weights)";
    share.addEventListener("click", () => copyText(window.location.href, share));
    const classroom = element("button", "text-button", "Classroom link\u2026");
    classroom.type = "button";
    classroom.id = "classroom-button";
    classroom.addEventListener("click", () => this.openDialog());
    root.append(this.model, this.script, share, classroom);
    this.dialog = this.buildDialog();
    document.body.append(this.dialog);
  }

  /** The download links need the session id, known once the server said `session`. */
  setSession(session) {
    const query = `session=${encodeURIComponent(session)}&token=${encodeURIComponent(this.store.token)}`;
    this.model.href = `/api/export/model?${query}`;
    this.model.setAttribute("download", "");
    this.script.href = `/api/export/script?${query}`;
    this.script.setAttribute("download", "");
    this.model.removeAttribute("aria-disabled");
    this.script.removeAttribute("aria-disabled");
  }

  buildDialog() {
    const dialog = element("dialog", "classroom");
    dialog.id = "classroom-dialog";
    const title = element("h2", "", "Use it in the classroom");
    const text = element("p", "", "Tick the controls to hide. The link opens this playground with the "
      + "current settings and data, without those controls.");
    const list = element("div", "hide-list");
    const features = FEATURES.map(([name, label]) => [name, `Feature ${label}`]);
    this.checks = [...HIDABLE_CONTROLS, ...features].map(([name, label]) => {
      const row = element("label", "check");
      const input = element("input");
      input.type = "checkbox";
      input.dataset.hide = name;
      input.addEventListener("change", () => this.updateLink());
      row.append(input, element("span", "", label));
      list.append(row);
      return input;
    });
    const hideText = element("label", "check");
    this.hideText = element("input");
    this.hideText.type = "checkbox";
    this.hideText.dataset.hide = "hideText";
    this.hideText.addEventListener("change", () => this.updateLink());
    hideText.append(this.hideText, element("span", "", "Hide the explanatory text"));
    list.append(hideText);
    this.link = element("input", "link-field");
    this.link.id = "classroom-link";
    this.link.readOnly = true;
    const copy = element("button", "text-button", "Copy");
    copy.type = "button";
    copy.addEventListener("click", () => copyText(this.link.value, copy));
    this.open = element("a", "text-button", "Open");
    this.open.target = "_blank";
    this.open.rel = "noopener";
    const close = element("button", "text-button primary", "Done");
    close.type = "button";
    close.addEventListener("click", () => dialog.close());
    const row = element("div", "link-row");
    row.append(this.link, copy, this.open);
    const actions = element("div", "dialog-actions");
    actions.append(close);
    dialog.append(title, text, list, row, actions);
    return dialog;
  }

  openDialog() {
    const state = this.store.state || {};
    for (const input of this.checks) {
      input.checked = Boolean(state[`${input.dataset.hide}_hide`]);
    }
    this.hideText.checked = Boolean(state.hideText);
    this.updateLink();
    this.dialog.showModal();
  }

  updateLink() {
    const changes = {};
    for (const input of this.checks) {
      changes[`${input.dataset.hide}_hide`] = input.checked ? "true" : false;
    }
    changes.hideText = this.hideText.checked ? "true" : false;
    const url = this.store.urlFor(editQuery(this.store.query, changes));
    this.link.value = url;
    this.open.href = url;
  }
}
