/**
 * The benchmark scenarios `npm run bench` runs, in order.
 */
import type { BenchScenario } from './harness.js';
import { operatorsScenario } from './operators.js';
import { pipelineScenario } from './pipeline.js';
import { poolScenario } from './pool.js';
import { readersScenario } from './readers.js';
import { schedulerScenario } from './scheduler.js';

export const scenarios: readonly BenchScenario[] = [
  operatorsScenario,
  poolScenario,
  readersScenario,
  schedulerScenario,
  pipelineScenario,
];
