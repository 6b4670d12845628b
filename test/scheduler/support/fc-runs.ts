/** Property-test run count: `FC_NUM_RUNS` from the environment, else `fallback`. */
export function numRuns(fallback: number): number {
  const fromEnv = Number(process.env.FC_NUM_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : fallback;
}
