import { describe, expect, it } from 'vitest';
import { issuesMessage } from '../../src/dataset/issues-message.js';

describe('issuesMessage', () => {
  it('lists issues with their line or entry', () => {
    expect(
      issuesMessage('Invalid manifest m.csv', [
        { message: 'A', line: 3 },
        { message: 'B', entry: 0 },
        { message: 'C' },
      ]),
    ).toBe('Invalid manifest m.csv (3 problems):\n  line 3: A\n  entry 0: B\n  C');
  });

  it('shows the first five and counts the rest', () => {
    const issues = Array.from({ length: 8 }, (_, i) => ({ message: `m${i}`, line: i + 2 }));
    const text = issuesMessage('T', issues);
    expect(text.split('\n')).toHaveLength(7);
    expect(text.endsWith('\n  line 6: m4\n  … and 3 more')).toBe(true);
    expect(issuesMessage('T', [{ message: 'only' }])).toBe('T (1 problem):\n  only');
  });
});
