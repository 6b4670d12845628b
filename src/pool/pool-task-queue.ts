/**
 * Tinypool's task queue, replaced so that the executor can take back a job it handed over ahead
 * of time (aborted, reset, timed out) before any worker starts it: tinypool itself can only do
 * that through a per-task `AbortSignal`, whose cost in Node 20 exceeds that of a small job.
 *
 * @internal
 */
import type { Task, TaskQueue } from 'tinypool';

/** A FIFO of tinypool tasks that knows which job each one carries. */
export class PoolTaskQueue implements TaskQueue {
  readonly #tasks: Task[] = [];
  readonly #jobs = new WeakMap<Task, number>();
  /** The job being handed to tinypool right now: a task pushed meanwhile carries it. */
  submitting: number | undefined;

  get size(): number {
    return this.#tasks.length;
  }

  shift(): Task | null {
    return this.#tasks.shift() ?? null;
  }

  push(task: Task): void {
    this.#tasks.push(task);
    if (this.submitting !== undefined) this.#jobs.set(task, this.submitting);
  }

  remove(task: Task): void {
    const i = this.#tasks.indexOf(task);
    if (i >= 0) this.#tasks.splice(i, 1);
  }

  cancel(): void {
    while (this.#tasks.length > 0) this.#tasks.pop()!.cancel();
  }

  /** Removes the task carrying `job` and cancels it (its `run()` rejects); whether it was queued. */
  cancelJob(job: number): boolean {
    const i = this.#tasks.findIndex((task) => this.#jobs.get(task) === job);
    if (i < 0) return false;
    const [task] = this.#tasks.splice(i, 1);
    task!.cancel();
    return true;
  }
}
