/**
 * The module every executor worker loads (through tinypool). It connects to the executor, loads
 * the user's module once, runs `workerInit`, then answers one job per call.
 *
 * @internal
 * @packageDocumentation
 */
import type { TaskMessage } from './protocol.js';
import { connectWorker } from './worker-link.js';
import { bootWorker, runJob } from './worker-runtime.js';
import { setThreadWorkerInfo } from './worker-state.js';

const link = await connectWorker();
setThreadWorkerInfo(link.info);
const runtime = await bootWorker(link.config, link.info);
link.markReady();

/** The last job handed to this worker: with `prefetch`, the next one starts when it is done. */
let previous: Promise<unknown> = Promise.resolve();

/**
 * Takes one job; resolves with the reply (never rejects: job failures are replies too). With
 * `prefetch` a job may arrive while another runs: jobs run one after the other, in order.
 */
export default function handleTask(task: TaskMessage): Promise<unknown> {
  if (!link.config.prefetch) return runTask(task);
  const reply = previous.then(() => runTask(task));
  previous = reply;
  return reply;
}

async function runTask(task: TaskMessage): Promise<unknown> {
  link.markBusy(task.j);
  try {
    const { reply, transfer } = await runJob(runtime, task, link.abortSource(task.d, task.j));
    return link.pack(reply, transfer);
  } finally {
    link.markIdle();
  }
}
