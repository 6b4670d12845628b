import { describe, expect, it } from 'vitest';
import {
  assertCloneableInput,
  resolveMapOptions,
  resolveRunOptions,
} from '../../src/pool/call-options.js';

describe('resolveRunOptions', () => {
  it('defaults the timeout to the executor’s and moves typed arrays’ buffers', () => {
    const view = new Uint8Array(4);
    const o = resolveRunOptions({ transfer: [view, view.buffer], index: 2 }, 500);
    expect(o).toMatchObject({ timeoutMs: 500, index: 2, signal: undefined });
    expect(o.transfer).toEqual([view.buffer, view.buffer]);
    expect(resolveRunOptions(undefined, 7).timeoutMs).toBe(7);
    const shared = new Int32Array(new SharedArrayBuffer(8));
    expect(resolveRunOptions({ transfer: [shared, shared.buffer, view] }, 1).transfer).toEqual([
      view.buffer,
    ]);
  });

  it('rejects invalid options with the house message', () => {
    expect(() => resolveRunOptions({ index: Number.NaN }, 1)).toThrow(
      new TypeError('Expected `index` to be a finite number, got `NaN` (number)'),
    );
    expect(() => resolveRunOptions({ timeoutMs: 0 }, 1)).toThrow(
      new RangeError('Expected `timeoutMs` to be a number ≥ 1, got `0` (number)'),
    );
    expect(() => resolveRunOptions({ signal: {} as AbortSignal }, 1)).toThrow(
      new TypeError('Expected `signal` to be an AbortSignal, got `{}` (object)'),
    );
    expect(() => resolveRunOptions({ transfer: [1 as never] }, 1)).toThrow(
      new TypeError(
        'Expected `transfer[0]` to be an ArrayBuffer, a typed array or a MessagePort, got `1` (number)',
      ),
    );
  });
});

describe('resolveMapOptions', () => {
  it('fills in defaults', () => {
    expect(resolveMapOptions(undefined, { concurrency: 6, timeoutMs: Infinity })).toMatchObject({
      ordered: true,
      concurrency: 6,
      settle: false,
      sourceBufferSize: 1024,
      timeoutMs: Infinity,
      transfer: undefined,
    });
  });

  it('gives an ordered map its own default read-ahead, and an unordered one the plain default', () => {
    const defaults = { concurrency: 4, orderedConcurrency: 8, timeoutMs: 1 };
    expect(resolveMapOptions(undefined, defaults).concurrency).toBe(8);
    expect(resolveMapOptions({ ordered: true }, defaults).concurrency).toBe(8);
    expect(resolveMapOptions({ ordered: false }, defaults).concurrency).toBe(4);
    expect(resolveMapOptions({ concurrency: 3 }, defaults).concurrency).toBe(3);
  });

  it('wraps transfer so that views become buffers', () => {
    const o = resolveMapOptions<Uint8Array>(
      { transfer: (a) => [a] },
      { concurrency: 1, timeoutMs: 1 },
    );
    const a = new Uint8Array(2);
    expect(o.transfer?.(a)).toEqual([a.buffer]);
  });

  it('rejects invalid options', () => {
    expect(() => resolveMapOptions({ concurrency: 0 }, { concurrency: 1, timeoutMs: 1 })).toThrow(
      new RangeError('Expected `concurrency` to be an integer ≥ 1, got `0` (number)'),
    );
    expect(() =>
      resolveMapOptions({ ordered: 1 as never }, { concurrency: 1, timeoutMs: 1 }),
    ).toThrow(TypeError);
    expect(() =>
      resolveMapOptions({ transfer: 'x' as never }, { concurrency: 1, timeoutMs: 1 }),
    ).toThrow(new TypeError('Expected `transfer` to be a function, got `"x"` (string)'));
  });
});

describe('assertCloneableInput', () => {
  it('names the offending path', () => {
    expect(() => assertCloneableInput({ list: [0, Symbol('s')] })).toThrow(
      /^Expected `input\.list\[1\]` to be structured-cloneable \(no functions, symbols, promises or weak collections\), got `Symbol\(s\)` \(symbol\)$/,
    );
    expect(() => assertCloneableInput({ ok: [1, 'two', new Map()] })).not.toThrow();
  });
});
