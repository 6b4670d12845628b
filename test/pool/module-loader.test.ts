import { describe, expect, it, vi } from 'vitest';
import { isTypeScriptModule, loadModule, TsxMissingError } from '../../src/pool/module-loader.js';
import { debugStorage } from '../../src/pool/worker-state.js';

describe('isTypeScriptModule', () => {
  it('tells TypeScript modules by extension, ignoring query and hash', () => {
    expect(isTypeScriptModule('file:///a/b.worker.ts')).toBe(true);
    expect(isTypeScriptModule('file:///a/b.mts?x=1#h')).toBe(true);
    expect(isTypeScriptModule('/a/b.cts')).toBe(true);
    expect(isTypeScriptModule('file:///a/b.js')).toBe(false);
    expect(isTypeScriptModule('file:///a/ts')).toBe(false);
    expect(isTypeScriptModule('data:text/javascript,export default 1')).toBe(false);
  });
});

describe('loadModule', () => {
  it('imports JavaScript modules with import()', async () => {
    const ns = await loadModule('data:text/javascript,export const answer = 42');
    expect(ns['answer']).toBe(42);
  });

  it('loads TypeScript modules through tsx', async () => {
    // The module asks for its worker's identity at top level.
    const info = { workerId: 0, seed: 1, generation: 0 };
    const href = new URL('../fixtures/workers/behaviours.worker.ts', import.meta.url).href;
    const ns = await debugStorage().run(info, () => loadModule(href));
    expect(typeof ns['default']).toBe('function');
    expect(typeof ns['workerInit']).toBe('function');
  });

  it('says to install tsx or compile the module when tsx cannot be imported', async () => {
    vi.doMock('tsx/esm/api', () => {
      throw new Error('Cannot find package tsx');
    });
    try {
      const error = await loadModule('file:///somewhere/job.worker.ts').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TsxMissingError);
      expect((error as Error).message).toBe(
        'Cannot load the TypeScript worker module file:///somewhere/job.worker.ts: install tsx (npm install --save-dev tsx) or compile the module to JavaScript',
      );
    } finally {
      vi.doUnmock('tsx/esm/api');
    }
  });
});
