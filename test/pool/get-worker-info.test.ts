import { describe, expect, it } from 'vitest';
import { getWorkerInfo } from '../../src/pool/get-worker-info.js';
import { debugStorage } from '../../src/pool/worker-state.js';

describe('getWorkerInfo', () => {
  it('throws a TypeError outside a worker', () => {
    expect(() => getWorkerInfo()).toThrow(
      new TypeError('getWorkerInfo() must be called inside a JobExecutor worker'),
    );
  });

  it('gives the simulated worker of the calling debug-mode job', async () => {
    const info = { workerId: 1, seed: 99, generation: 2 };
    const seen = await debugStorage().run(info, async () => {
      await Promise.resolve();
      return getWorkerInfo();
    });
    expect(seen).toEqual(info);
  });
});
