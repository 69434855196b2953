/**
 * When `comment: on-failure-or-change` asks for a comment: a run that did not end well, or a
 * value that changed beyond its tolerance. (Once a key has its comment, it is kept current
 * whatever the result, so that a fixed failure does not go on showing: ./deliver.ts.)
 */
import { changedCount as countChanged } from '../compare/values.js'
import type { Outcome, StepOutcome } from '../outcome.js'

/** How a run may end and still need no comment. */
const ENDED_WELL: ReadonlyArray<Outcome['conclusion']> = ['success', 'submitted']

/** Values changed or removed beyond their tolerance, as the `changed-count` output counts them. */
export function changedCount(outcome: Outcome): number {
  return outcome.comparison == null ? 0 : countChanged(outcome.comparison.changes)
}

/** Whether the run failed (or ended otherwise than well), or a value of it changed. */
export function failedOrChanged(outcome: Outcome): boolean {
  return !ENDED_WELL.includes(outcome.conclusion) || changedCount(outcome) > 0
}

/** The same, for a step: any of its runs (a step of one is its run). */
export function stepFailedOrChanged(outcome: StepOutcome): boolean {
  if (outcome.mode !== 'many') return failedOrChanged(outcome)
  return !ENDED_WELL.includes(outcome.conclusion) || outcome.runs.some(failedOrChanged)
}
