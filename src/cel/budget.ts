/** The evaluation budget: CEL steps and wall time per evaluation, and the error when one runs out. */
import type { EvalResult } from './env.js';

/** Evaluation budget: CEL steps (AST nodes evaluated, comprehension iterations included) and wall time. */
export interface Budget {
  /** the API server's per-expression runtime cost limit is 1,000,000 */
  maxSteps: number;
  maxMillis: number;
}
export const DEFAULT_BUDGET: Budget = { maxSteps: 1_000_000, maxMillis: 1000 };

export interface Meter {
  steps: number;
  maxSteps: number;
  deadline: number;
  exceeded?: 'steps' | 'time';
}

export class BudgetExceeded extends Error {}

export function budgetError(m: Meter, b: Budget): EvalResult {
  return {
    ok: false,
    budget: true,
    error:
      m.exceeded === 'time'
        ? `evaluation took longer than ${b.maxMillis} ms and was stopped`
        : `evaluation exceeded the cost budget of ${b.maxSteps} steps and was stopped`,
  };
}
