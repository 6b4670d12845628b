/**
 * A model of the I/O shell for tests: executes the scheduler's commands on real chunk
 * identities (per-slot FIFO buffers, the merged queue, the consumer), tracks outstanding loads
 * and granted credit the way a real shell would, and checks every command against what it knows.
 */
import type { SchedulerCommand } from '../../../src/scheduler/scheduler-command.js';

export interface Chunk {
  readonly id: number;
  readonly patient: string;
  readonly slot: number;
  readonly tenure: number;
}

export interface OutstandingLoad {
  readonly slot: number;
  readonly tenure: number;
  readonly patient: string;
  stopped: boolean;
}

export interface RunningCollector {
  readonly tenure: number;
  readonly patient: string;
  credit: number;
}

export class ModelShell {
  readonly buffers: Chunk[][];
  readonly merged: Chunk[] = [];
  readonly delivered: Chunk[] = [];
  readonly dropped: Chunk[] = [];
  readonly loads = new Map<string, OutstandingLoad>();
  readonly collectors = new Map<number, RunningCollector>();
  readonly log: SchedulerCommand[] = [];
  closed = false;
  exhausted = false;
  lateChunks = 0;
  #nextId = 0;

  constructor(slots: number) {
    this.buffers = Array.from({ length: slots }, () => []);
  }

  apply(commands: readonly SchedulerCommand[]): void {
    for (const c of commands) this.#apply(c);
  }

  /** Outstanding loads (including stopped ones), in issue order. */
  outstandingLoads(): OutstandingLoad[] {
    return [...this.loads.values()];
  }

  /** Marks the outcome of a load as reported; returns whether the collector starts. */
  settleLoad(slot: number, tenure: number, ok: boolean): void {
    const key = `${slot}:${tenure}`;
    const load = this.loads.get(key);
    if (load === undefined) throw new Error(`no outstanding load ${key}`);
    this.loads.delete(key);
    if (ok && !load.stopped) {
      this.collectors.set(slot, { tenure, patient: load.patient, credit: 0 });
    }
  }

  /** The collector of `slot` produced `count` chunks (the real shell's view). */
  produce(slot: number, tenure: number, count: number): void {
    const c = this.collectors.get(slot);
    if (c === undefined || c.tenure !== tenure) {
      this.lateChunks += count;
      return;
    }
    if (count > c.credit) throw new Error(`collector over-produced: ${count} > ${c.credit}`);
    c.credit -= count;
    for (let i = 0; i < count; i++) {
      this.buffers[slot]!.push({ id: this.#nextId++, patient: c.patient, slot, tenure });
    }
  }

  /** The collector of `slot` ended (finished or failed). */
  endCollector(slot: number, tenure: number): void {
    const c = this.collectors.get(slot);
    if (c !== undefined && c.tenure === tenure) this.collectors.delete(slot);
  }

  producedCount(): number {
    return this.#nextId;
  }

  #apply(c: SchedulerCommand): void {
    this.log.push(c);
    if (this.closed) throw new Error(`command after closed: ${c.type}`);
    switch (c.type) {
      case 'load': {
        const key = `${c.slot}:${c.tenure}`;
        if (this.loads.has(key)) throw new Error(`load ${key} issued twice`);
        for (const l of this.loads.values()) {
          if (l.slot === c.slot && !l.stopped) throw new Error(`slot ${c.slot} loads twice`);
        }
        if (this.collectors.has(c.slot)) throw new Error(`slot ${c.slot} loads while collecting`);
        this.loads.set(key, { slot: c.slot, tenure: c.tenure, patient: c.patient, stopped: false });
        return;
      }
      case 'grant': {
        const col = this.collectors.get(c.slot);
        if (col?.tenure !== c.tenure) throw new Error(`grant to a slot that is not collecting`);
        if (!(c.credit > 0)) throw new Error(`empty grant`);
        col.credit += c.credit;
        return;
      }
      case 'stop': {
        const load = this.loads.get(`${c.slot}:${c.tenure}`);
        if (load !== undefined && c.reason !== 'close')
          throw new Error(`${c.reason} stops a load in flight`);
        if (load !== undefined) load.stopped = true;
        this.endCollector(c.slot, c.tenure);
        const buffer = this.buffers[c.slot]!;
        if (c.disposition === 'discard') {
          const gone = buffer.filter((x) => x.tenure === c.tenure);
          if (gone.length !== c.discarded) {
            throw new Error(`stop discards ${c.discarded}, buffer holds ${gone.length}`);
          }
          this.dropped.push(...gone);
          this.buffers[c.slot] = buffer.filter((x) => x.tenure !== c.tenure);
        } else if (c.discarded !== 0) throw new Error('drain stop discards');
        return;
      }
      case 'merge':
        for (const m of c.moves) {
          for (let i = 0; i < m.count; i++) {
            const chunk = this.buffers[m.slot]!.shift();
            if (chunk === undefined) throw new Error(`merge from empty slot ${m.slot}`);
            if (chunk.tenure !== m.tenure) throw new Error(`merge move names the wrong tenure`);
            this.merged.push(chunk);
          }
        }
        return;
      case 'deliver':
        for (let i = 0; i < c.count; i++) {
          const chunk = this.merged.shift();
          if (chunk === undefined) throw new Error('deliver from an empty merged queue');
          this.delivered.push(chunk);
        }
        return;
      case 'closed': {
        for (let i = 0; i < this.buffers.length; i++) {
          this.dropped.push(...this.buffers[i]!);
          this.buffers[i] = [];
        }
        this.dropped.push(...this.merged.splice(0));
        for (const l of this.loads.values()) l.stopped = true;
        this.collectors.clear();
        this.closed = true;
        return;
      }
      case 'exhausted':
        this.exhausted = true;
        return;
      default:
        return;
    }
  }
}
