/**
 * Keeps the process alive while the executor holds jobs (a worker that is still starting does
 * not), and never otherwise: one long interval, ref'd while busy and unref'd while idle, which is
 * cheaper than creating a timer per busy spell.
 *
 * @internal
 */
export class KeepAlive {
  #timer: NodeJS.Timeout | undefined;
  #busy = false;

  /** Holds the process open while `busy`. */
  set(busy: boolean): void {
    if (busy === this.#busy) return;
    this.#busy = busy;
    if (busy) {
      this.#timer ??= setInterval(() => {}, 1 << 30);
      this.#timer.ref();
    } else {
      this.#timer?.unref();
    }
  }

  /** Lets go for good. */
  dispose(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#busy = false;
  }
}
