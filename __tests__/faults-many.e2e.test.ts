/**
 * The fault-injection rows again, each with a second, healthy notebook beside the faulty one in
 * one step (`notebooks`): the invariants hold for several runs too. A fault lands on whichever
 * run's request comes first; the invariants hold either way. The rows' own single-run checks
 * (request counts, the `artifacts` output) are left to faults.e2e.test.ts.
 */
import { FAULT_ROWS } from './support/fault-rows.js'
import { faultSuite } from './support/fault-suite.js'

faultSuite('faults-many', FAULT_ROWS, { several: true })
