import { describe, expect, it } from 'vitest';
import { deriveSeed } from '../../src/internal/derive-seed.js';
import { executorFactory, until, type Behaviour } from './executor-harness.js';

const make = executorFactory();

describe("JobExecutor with runtime: 'process'", () => {
  it('runs jobs in child processes: results, buffers, env, seeds, retries, cooperative abort, close', async () => {
    const ex = make<Behaviour, unknown>({
      runtime: 'process',
      workers: 1,
      seed: 5,
      env: { LIGHTDL_PROBE: 'child' },
    });
    await expect(ex.run({ op: 'echo', value: { a: [1, 2] } })).resolves.toEqual({ a: [1, 2] });
    const bytes = (await ex.run({ op: 'bytes', size: 65_536, fill: 6 })) as Uint8Array;
    expect(bytes.byteLength).toBe(65_536);
    expect(bytes.every((b) => b === 6)).toBe(true);
    await expect(ex.run({ op: 'env', name: 'LIGHTDL_PROBE' })).resolves.toBe('child');
    const info = (await ex.run({ op: 'info' })) as { fromContext: unknown; initCalls: number };
    expect(info.fromContext).toEqual({ workerId: 0, seed: deriveSeed(5, 0, 0), generation: 0 });
    expect(info.initCalls).toBe(1);

    await expect(ex.run({ op: 'exit', code: 5, attempts: 1 })).resolves.toBe('survived attempt 2');
    const after = (await ex.run({ op: 'info' })) as { fromContext: unknown };
    expect(after.fromContext).toEqual({ workerId: 0, seed: deriveSeed(5, 0, 1), generation: 1 });

    const controller = new AbortController();
    const running = ex.run({ op: 'wait-abort' }, { signal: controller.signal });
    await until(() => ex.report().workers[0]?.state === 'busy');
    const reason = new Error('stop the child');
    controller.abort(reason);
    await expect(running).rejects.toBe(reason);
    await until(() => ex.report().running === 0);
    const log = (await ex.run({ op: 'aborted-log' })) as { reason: string }[];
    expect(log.map((l) => l.reason)).toEqual(['AbortError: The job was aborted']);

    expect(ex.report()).toMatchObject({ retried: 1, restarts: 1, cancelled: 1 });
    await ex.close();
    expect(ex.report()).toMatchObject({ state: 'closed', liveWorkers: 0 });
  });
});
