/**
 * The fault-injection suite: one fault per row (./support/fault-rows.ts), each run against the
 * bundled action and checked against the five invariants of ./support/fault-suite.ts (exit,
 * bounded time, nothing lost, no leak, outputs). The hostile server has its own suite,
 * hostile.e2e.test.ts; the same rows with several notebooks in one step, faults-many.e2e.test.ts.
 */
import { expect, it } from '@jest/globals'
import { FAULT_ROWS } from './support/fault-rows.js'
import { faultSuite } from './support/fault-suite.js'

faultSuite('faults', FAULT_ROWS)

it('has at least 30 scenarios', () => {
  expect(FAULT_ROWS.length).toBeGreaterThanOrEqual(30)
})
