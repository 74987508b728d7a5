// The WebSocket client: one socket per tab at /ws?token=…, JSON messages both ways.
//
// Messages sent while the socket is down wait in a queue and go out, in order, once it is up again.
// On every (re)connection `onOpen` runs first (the app says `hello` and restores its state there),
// then the queue is flushed. Reconnection backs off from 0.5 s to 8 s.

const MAX_QUEUE = 200;
const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 8000;

export class Socket {
  /**
   * @param {object} options
   * @param {string} options.token  the launch token from the page URL's `?token=`
   * @param {(message: object) => void} options.onMessage  every message from the server
   * @param {() => void} options.onOpen  runs on each (re)connection, before the queue is flushed
   * @param {(status: string) => void} options.onStatus  "connecting", "open" or "closed"
   */
  constructor({ token, onMessage, onOpen, onStatus }) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    this.url = `${scheme}://${window.location.host}/ws?token=${encodeURIComponent(token)}`;
    this.onMessage = onMessage;
    this.onOpen = onOpen;
    this.onStatus = onStatus;
    this.queue = [];
    this.ws = null;
    this.delay = FIRST_DELAY_MS;
    this.timer = null;
  }

  connect() {
    this.onStatus("connecting");
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.addEventListener("open", () => {
      this.delay = FIRST_DELAY_MS;
      this.onStatus("open");
      this.onOpen();
      this.flush();
    });
    ws.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        console.warn("playground: a message that is not JSON", error);
        return;
      }
      this.onMessage(message);
    });
    ws.addEventListener("close", () => {
      if (this.ws !== ws) {
        return;
      }
      this.ws = null;
      this.onStatus("closed");
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, MAX_DELAY_MS);
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends now if connected, else queues (oldest messages dropped past MAX_QUEUE). */
  send(message) {
    if (this.isOpen) {
      this.ws.send(JSON.stringify(message));
      return;
    }
    this.queue.push(message);
    if (this.queue.length > MAX_QUEUE) {
      this.queue.shift();
    }
  }

  /** Sends immediately, bypassing the queue (used inside onOpen). */
  sendNow(message) {
    if (this.isOpen) {
      this.ws.send(JSON.stringify(message));
    }
  }

  flush() {
    while (this.isOpen && this.queue.length > 0) {
      this.ws.send(JSON.stringify(this.queue.shift()));
    }
  }
}
