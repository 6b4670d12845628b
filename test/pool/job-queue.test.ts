import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../src/pool/job-queue.js';

describe('JobQueue', () => {
  it('is first in, first out, with insertion at the front and removal from the middle', () => {
    const q = new JobQueue<string>();
    q.pushBack('a');
    q.pushBack('b');
    q.pushBack('c');
    q.pushFront('retry');
    expect(q.remove('b')).toBe(true);
    expect(q.remove('missing')).toBe(false);
    expect(q.size).toBe(3);
    expect(q.shift()).toBe('retry');
    expect(q.drain()).toEqual(['a', 'c']);
    expect(q.size).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});
