/**
 * A small FIFO with removal from the middle (aborted jobs) and insertion at the front (retried
 * jobs). Executor queues are bounded by its capacity, so array operations stay cheap.
 *
 * @internal
 */
export class JobQueue<T> {
  #items: T[] = [];

  get size(): number {
    return this.#items.length;
  }

  pushBack(item: T): void {
    this.#items.push(item);
  }

  pushFront(item: T): void {
    this.#items.unshift(item);
  }

  shift(): T | undefined {
    return this.#items.shift();
  }

  /** Removes `item`; returns whether it was there. */
  remove(item: T): boolean {
    const i = this.#items.indexOf(item);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  /** Removes and returns every item, in order. */
  drain(): T[] {
    const items = this.#items;
    this.#items = [];
    return items;
  }
}
