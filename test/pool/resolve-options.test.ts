import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  THREAD_COUNT_VARIABLES,
  resolveExecutorOptions,
  resolveWorkers,
} from '../../src/pool/resolve-options.js';

const MODULE = 'file:///tmp/job.worker.js';

describe('resolveWorkers', () => {
  it('takes counts as they are, fractions of the CPUs rounded down (at least 1), and -1 as every CPU', () => {
    expect(resolveWorkers(3, 8)).toBe(3);
    expect(resolveWorkers(0.5, 8)).toBe(4);
    expect(resolveWorkers(0.3, 8)).toBe(2);
    expect(resolveWorkers(0.1, 2)).toBe(1);
    expect(resolveWorkers(-1, 6)).toBe(6);
  });

  it('rejects anything else', () => {
    for (const bad of [0, -2, 1.5, Infinity, Number.NaN]) {
      expect(() => resolveWorkers(bad, 4)).toThrow(RangeError);
    }
    expect(() => resolveWorkers(1.5, 4)).toThrow(
      'Expected `workers` to be an integer ≥ 1, a fraction in (0, 1) or -1, got `1.5` (number)',
    );
    expect(() => resolveWorkers(null, 4)).toThrow(
      new TypeError(
        'Expected `workers` to be an integer ≥ 1, a fraction in (0, 1) or -1, got `null` (null)',
      ),
    );
  });
});

describe('resolveExecutorOptions', () => {
  it('fills in documented defaults', () => {
    const o = resolveExecutorOptions({ module: MODULE, workers: 3 });
    expect(o).toMatchObject({
      module: MODULE,
      name: 'default',
      workers: 3,
      maxQueue: 3,
      seed: 0,
      runtime: 'thread',
      maxRetries: 1,
      timeoutMs: Infinity,
      abortGraceMs: 1000,
      closeTimeoutMs: 10_000,
      transferResults: true,
      prefetch: true,
      debug: false,
      resourceLimits: undefined,
      execArgv: undefined,
    });
    for (const key of THREAD_COUNT_VARIABLES) expect(o.env[key]).toBe('1');
    expect(Object.isFrozen(o)).toBe(true);
  });

  it('hands jobs ahead to worker threads only, and checks the flag', () => {
    expect(resolveExecutorOptions({ module: MODULE, workers: 1, prefetch: false }).prefetch).toBe(
      false,
    );
    expect(
      resolveExecutorOptions({ module: MODULE, workers: 1, runtime: 'process' }).prefetch,
    ).toBe(false);
    expect(() =>
      resolveExecutorOptions({ module: MODULE, workers: 1, prefetch: 'yes' as never }),
    ).toThrow(new TypeError('Expected `prefetch` to be a boolean, got `"yes"` (string)'));
  });

  it('resolves module paths and URLs to absolute URLs', () => {
    expect(resolveExecutorOptions({ module: new URL(MODULE), workers: 1 }).module).toBe(MODULE);
    expect(resolveExecutorOptions({ module: 'rel/job.js', workers: 1 }).module).toBe(
      pathToFileURL(path.resolve('rel/job.js')).href,
    );
    expect(
      resolveExecutorOptions({ module: 'data:text/javascript,export default 1', workers: 1 })
        .module,
    ).toBe('data:text/javascript,export default 1');
  });

  it('layers env over process.env and the thread-count variables, or sets none with threadsPerWorker null', () => {
    const o = resolveExecutorOptions({
      module: MODULE,
      workers: 1,
      threadsPerWorker: 4,
      env: { OMP_NUM_THREADS: '2', EXTRA: 'x' },
    });
    expect(o.env).toMatchObject({ OMP_NUM_THREADS: '2', MKL_NUM_THREADS: '4', EXTRA: 'x' });
    expect(o.env['PATH']).toBe(process.env['PATH']);
    const none = resolveExecutorOptions({ module: MODULE, workers: 1, threadsPerWorker: null });
    expect(none.env['TF_NUM_INTRAOP_THREADS']).toBe(process.env['TF_NUM_INTRAOP_THREADS']);
  });

  it("maps heap limits to node flags with runtime 'process', and rejects limits it cannot map", () => {
    const o = resolveExecutorOptions({
      module: MODULE,
      workers: 1,
      runtime: 'process',
      resourceLimits: { maxOldGenerationSizeMb: 256, stackSizeMb: 2 },
    });
    expect(o.resourceLimits).toBeUndefined();
    expect(o.execArgv).toEqual([
      ...process.execArgv,
      '--max-old-space-size=256',
      '--stack-size=2048',
    ]);
    expect(() =>
      resolveExecutorOptions({
        module: MODULE,
        workers: 1,
        runtime: 'process',
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      }),
    ).toThrow(
      new TypeError(
        "Expected `resourceLimits.maxYoungGenerationSizeMb` to be undefined with runtime 'process', got `8` (number)",
      ),
    );
    expect(
      resolveExecutorOptions({
        module: MODULE,
        workers: 1,
        resourceLimits: { maxOldGenerationSizeMb: 64 },
      }).resourceLimits,
    ).toEqual({
      maxOldGenerationSizeMb: 64,
    });
  });

  it('rejects invalid options with the house message', () => {
    const cases: [Record<string, unknown>, Error][] = [
      [{ name: '' }, new TypeError('Expected `name` to be a non-empty string, got `""` (string)')],
      [
        { maxQueue: -1 },
        new RangeError('Expected `maxQueue` to be an integer ≥ 0, got `-1` (number)'),
      ],
      [
        { seed: 2 ** 32 },
        new RangeError(
          'Expected `seed` to be an integer between 0 and 4294967295, got `4294967296` (number)',
        ),
      ],
      [
        { runtime: 'fiber' },
        new TypeError(
          "Expected `runtime` to be one of 'thread', 'process', got `\"fiber\"` (string)",
        ),
      ],
      [
        { maxRetries: 1.5 },
        new RangeError('Expected `maxRetries` to be an integer ≥ 0, got `1.5` (number)'),
      ],
      [
        { timeoutMs: 0 },
        new RangeError('Expected `timeoutMs` to be a number ≥ 1, got `0` (number)'),
      ],
      [
        { abortGraceMs: -5 },
        new RangeError('Expected `abortGraceMs` to be a number ≥ 0, got `-5` (number)'),
      ],
      [
        { threadsPerWorker: 0 },
        new RangeError('Expected `threadsPerWorker` to be an integer ≥ 1, got `0` (number)'),
      ],
      [{ env: { A: 1 } }, new TypeError('Expected `env.A` to be a string, got `1` (number)')],
      [{ debug: 'yes' }, new TypeError('Expected `debug` to be a boolean, got `"yes"` (string)')],
      [
        { module: 42 },
        new TypeError('Expected `module` to be a file path or URL, got `42` (number)'),
      ],
    ];
    for (const [extra, error] of cases) {
      expect(() => resolveExecutorOptions({ module: MODULE, workers: 1, ...extra })).toThrow(error);
    }
  });
});
