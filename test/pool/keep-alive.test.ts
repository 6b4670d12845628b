import { describe, expect, it } from 'vitest';
import { KeepAlive } from '../../src/pool/keep-alive.js';

const timeouts = (): number =>
  process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

describe('KeepAlive', () => {
  it('holds the process open only while busy, and lets go for good when disposed', () => {
    const before = timeouts();
    const keep = new KeepAlive();
    keep.set(true);
    expect(timeouts()).toBe(before + 1);
    keep.set(true);
    expect(timeouts()).toBe(before + 1);
    keep.set(false);
    expect(timeouts()).toBe(before);
    keep.set(true);
    expect(timeouts()).toBe(before + 1);
    keep.dispose();
    expect(timeouts()).toBe(before);
  });
});
