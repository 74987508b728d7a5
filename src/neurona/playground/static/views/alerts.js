// Banners for the server's `alert`, `warning` and `error` messages and for connection trouble.
//
// Each banner is `<div class="alert" data-kind="…" role="alert">` with a title that says what
// happened in plain words and the server's message (which says why and what to do).

import { element } from "../dom.js";

const TITLES = {
  divergence: "Training stopped: the numbers blew up",
  limit: "Limit reached",
  stop: "Training stopped",
  warning: "Note",
  error: "Something was refused",
  connection: "Connection",
  upload: "Upload",
};

const MAX_BANNERS = 4;
const WARNING_MS = 12000;

export class AlertsView {
  constructor(root) {
    this.root = root;
    root.setAttribute("aria-live", "polite");
  }

  /**
   * Shows one banner; the same kind and message again only bumps its counter.
   * @param {string} kind  divergence, limit, warning, error, connection, …
   * @param {string} message  the text to show
   */
  show(kind, message) {
    for (const banner of this.root.children) {
      if (banner.dataset.kind === kind && banner.dataset.message === message) {
        const count = Number(banner.dataset.count) + 1;
        banner.dataset.count = String(count);
        banner.querySelector(".alert-count").textContent = `\u00d7${count}`;
        this.root.prepend(banner);
        return banner;
      }
    }
    const banner = element("div", `alert alert-${kind}`);
    banner.dataset.kind = kind;
    banner.dataset.message = message;
    banner.dataset.count = "1";
    banner.setAttribute("role", "alert");
    const title = element("strong", "alert-title", TITLES[kind] || kind.charAt(0).toUpperCase() + kind.slice(1));
    const text = element("span", "alert-message", message);
    const count = element("span", "alert-count");
    const close = element("button", "alert-close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", "Dismiss");
    close.addEventListener("click", () => banner.remove());
    banner.append(title, text, count, close);
    this.root.prepend(banner);
    while (this.root.children.length > MAX_BANNERS) {
      this.root.lastElementChild.remove();
    }
    if (kind === "warning" || kind === "connection") {
      setTimeout(() => banner.remove(), WARNING_MS);
    }
    return banner;
  }

  /** Removes the banners of one kind (e.g. the connection banner once reconnected). */
  clear(kind) {
    for (const banner of [...this.root.children]) {
      if (banner.dataset.kind === kind) {
        banner.remove();
      }
    }
  }
}
