import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { inspectCloneable } from '../../src/pool/cloneable.js';
import { numRuns } from './executor-harness.js';

describe('inspectCloneable', () => {
  it('names the path of the first value structured clone would refuse', () => {
    expect(inspectCloneable({ a: [1, { fn: () => 1 }] }, false).problem).toMatchObject({
      path: '.a[1].fn',
      kind: 'function',
    });
    expect(inspectCloneable(Symbol('s'), false).problem).toMatchObject({
      path: '',
      kind: 'symbol',
    });
    expect(inspectCloneable({ p: Promise.resolve(1) }, false).problem).toMatchObject({
      path: '.p',
      kind: 'Promise',
    });
    expect(inspectCloneable(new Map([['k', new WeakMap()]]), false).problem).toMatchObject({
      path: '.<value 0>',
      kind: 'WeakMap',
    });
    expect(inspectCloneable(new Set([new WeakSet()]), false).problem).toMatchObject({
      kind: 'WeakSet',
    });
  });

  it('accepts cycles, dates, errors, maps, sets and typed arrays', () => {
    const cyclic: { self?: unknown; when: Date; error: Error } = {
      when: new Date(0),
      error: new Error('x'),
    };
    cyclic.self = cyclic;
    expect(inspectCloneable(cyclic, false).problem).toBeUndefined();
    expect(
      inspectCloneable(new Map([[1, new Set([new Uint8Array(2)])]]), false).problem,
    ).toBeUndefined();
  });

  it('collects distinct non-empty ArrayBuffers behind views and nested values, but no shared or empty ones', () => {
    const a = new Uint8Array(8);
    const b = new ArrayBuffer(16);
    const shared = new Int32Array(new SharedArrayBuffer(8));
    const { buffers } = inspectCloneable(
      {
        a,
        again: new Float32Array(a.buffer, 0, 2),
        b,
        deep: [{ view: new DataView(b) }],
        shared,
        empty: new ArrayBuffer(0),
      },
      true,
    );
    expect(buffers).toHaveLength(2);
    expect(buffers).toContain(a.buffer);
    expect(buffers).toContain(b);
  });

  it('collects nothing unless asked', () => {
    expect(inspectCloneable(new Uint8Array(4), false).buffers).toEqual([]);
  });

  test.prop([fc.jsonValue()], { numRuns: numRuns(100) })(
    'finds no problem in any JSON value, which structuredClone copies',
    (value) => {
      expect(inspectCloneable(value, true).problem).toBeUndefined();
      expect(structuredClone(value)).toEqual(value);
    },
  );

  test.prop(
    [
      fc.array(
        fc.string({ minLength: 1, maxLength: 4 }).filter((k) => /^[a-z]+$/.test(k)),
        { minLength: 1, maxLength: 5 },
      ),
    ],
    {
      numRuns: numRuns(100),
    },
  )('reports a function planted at any depth, with its path', (keys) => {
    const root: Record<string, unknown> = {};
    let node = root;
    keys.slice(0, -1).forEach((k) => {
      const next: Record<string, unknown> = {};
      node[k] = next;
      node = next;
    });
    node[keys.at(-1)!] = () => 0;
    expect(inspectCloneable(root, false).problem).toMatchObject({
      path: `.${keys.join('.')}`,
      kind: 'function',
    });
    expect(() => structuredClone(root)).toThrow();
  });
});
