/**
 * Runs a state machine's `drain` step without recursion: a call made while it is running only
 * marks it to run once more when the current pass ends.
 *
 * @internal
 */
export class Trampoline {
  readonly #step: () => void;
  #running = false;
  #again = false;

  /** @param step - The pass to run; it must be safe to run any number of times. */
  constructor(step: () => void) {
    this.#step = step;
  }

  /** Runs the step now, or once more after the pass in progress. */
  run(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = true;
    try {
      do {
        this.#again = false;
        this.#step();
      } while (this.#again);
    } finally {
      this.#running = false;
    }
  }
}
