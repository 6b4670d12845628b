/**
 * A thin driver for example-based tests: steps the scheduler with events (time defaults to the
 * driver's clock) and keeps the commands of each step.
 */
import { initialState } from '../../../src/scheduler/initial-state.js';
import type { SchedulerConfig } from '../../../src/scheduler/scheduler-config.js';
import type { SchedulerCommand } from '../../../src/scheduler/scheduler-command.js';
import type { SchedulerEvent } from '../../../src/scheduler/scheduler-event.js';
import type { SchedulerState } from '../../../src/scheduler/scheduler-state.js';
import { step } from '../../../src/scheduler/step.js';

type Without<E> = E extends unknown ? Omit<E, 'now'> & { now?: number } : never;

export class Machine {
  state: SchedulerState;
  now = 0;
  readonly log: SchedulerCommand[] = [];

  constructor(config: SchedulerConfig) {
    this.state = initialState(config);
  }

  /** Steps with `event` (at `event.now`, else the current clock); returns the step's commands. */
  send(event: Without<SchedulerEvent>): SchedulerCommand[] {
    if (event.now !== undefined) this.now = event.now;
    const { state, commands } = step(this.state, { ...event, now: this.now });
    this.state = state;
    this.log.push(...commands);
    return [...commands];
  }

  /** Advances the clock by `ms` and ticks. */
  tick(ms: number): SchedulerCommand[] {
    return this.send({ type: 'tick', now: this.now + ms });
  }

  /** The load of `slot` succeeds and its collector produces `count` chunks. */
  serve(slot: number, count = 0): SchedulerCommand[] {
    const tenure = this.state.slots[slot]!.tenure;
    const out = this.send({ type: 'loadSucceeded', slot, tenure });
    if (count > 0) out.push(...this.send({ type: 'chunkProduced', slot, tenure, count }));
    return out;
  }
}

/** The commands of one type. */
export function ofType<T extends SchedulerCommand['type']>(
  commands: readonly SchedulerCommand[],
  type: T,
): Extract<SchedulerCommand, { type: T }>[] {
  return commands.filter((c): c is Extract<SchedulerCommand, { type: T }> => c.type === type);
}

export const ids = (n: number): { id: string }[] =>
  Array.from({ length: n }, (_, i) => ({ id: `p${i}` }));
