import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/dataset/with-defaults.js';

describe('withDefaults', () => {
  const defaults = Object.freeze({ a: 1, b: 'x' });

  it('fills missing and undefined fields from the defaults, without touching either object', () => {
    const options = { b: undefined, c: true };
    expect(withDefaults(defaults, options)).toEqual({ a: 1, b: 'x', c: true });
    expect(withDefaults(defaults, { a: 2 })).toEqual({ a: 2, b: 'x' });
    expect(withDefaults(defaults, undefined)).toEqual({ a: 1, b: 'x' });
    expect(options).toEqual({ b: undefined, c: true });
  });

  it('rejects options that are not an object', () => {
    expect(() => withDefaults(defaults, 3 as never)).toThrow(
      'Expected `options` to be an object, got `3` (number)',
    );
    expect(() => withDefaults(defaults, null as never)).toThrow(TypeError);
  });
});
