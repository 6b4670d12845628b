/**
 * The message of a `DatasetError`: a title, the issue count and the first few issues with where
 * they are, so that a log line alone says what to fix.
 *
 * @internal
 * @module
 */
import type { DatasetIssue } from '../errors.js';

const SHOWN = 5;

function where(issue: DatasetIssue): string {
  if (issue.line !== undefined) return `line ${issue.line}: `;
  if (issue.entry !== undefined) return `entry ${issue.entry}: `;
  return '';
}

/** `Title (2 problems):\n  line 3: …\n  line 5: …`. */
export function issuesMessage(title: string, issues: readonly DatasetIssue[]): string {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  const lines = issues.slice(0, SHOWN).map((i) => `\n  ${where(i)}${i.message}`);
  const more = issues.length > SHOWN ? `\n  … and ${issues.length - SHOWN} more` : '';
  return `${title} (${count}):${lines.join('')}${more}`;
}
