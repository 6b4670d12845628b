import { describe, expect, it } from 'vitest';
import { reviveError, serializeError } from '../../src/pool/serialized-error.js';

describe('serializeError / reviveError', () => {
  it('keeps name, message, stack, primitive properties and one level of cause across structured clone', () => {
    class ReadError extends Error {
      override name = 'ReadError';
      code = 'E_READ';
      errno = -2;
      handle = { fd: 3 };
    }
    const error = new ReadError('no such file', { cause: new RangeError('inner') });
    const revived = reviveError(structuredClone(serializeError(error)));
    expect(revived).toBeInstanceOf(Error);
    expect(revived.name).toBe('ReadError');
    expect(revived.message).toBe('no such file');
    expect(revived.stack).toBe(error.stack);
    expect(revived).toMatchObject({ code: 'E_READ', errno: -2 });
    expect((revived as unknown as { handle?: unknown }).handle).toBeUndefined();
    expect((revived.cause as Error).name).toBe('RangeError');
    expect((revived.cause as Error).message).toBe('inner');
  });

  it('turns thrown non-errors into messages', () => {
    expect(serializeError('plain')).toMatchObject({
      name: 'Error',
      message: 'plain',
      stack: undefined,
    });
    expect(serializeError(42).message).toBe('42');
    expect(serializeError(null).message).toBe('null');
  });
});
