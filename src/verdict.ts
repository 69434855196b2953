/**
 * How the step ends: what failed it, what it only warns about, and what a person reads. The
 * one funnel for failures is `fail`: an error annotation and a failing exit code.
 */
import * as core from '@actions/core'
import { CancelledError, errorMessage, InputError, TimeoutError } from './errors.js'
import { listOf, log } from './log.js'
import type { Conclusion, Outcome } from './outcome.js'

export function fail(message: string, title: string): void {
  log.error(message, { title })
  process.exitCode = core.ExitCode.Failure
}

/** What kind of end an error makes, and the annotation's title for it. */
export function classify(error: unknown): { conclusion: Conclusion; title: string } {
  if (error instanceof InputError) {
    return { conclusion: 'failure', title: `Invalid input ${error.input}` }
  }
  if (error instanceof TimeoutError) {
    return { conclusion: 'timed_out', title: 'Datalore run timed out' }
  }
  if (error instanceof CancelledError) return { conclusion: 'cancelled', title: 'Cancelled' }
  return { conclusion: 'failure', title: 'Datalore run action failed' }
}

/** The error's message, and for a cancelled job what became of the run and its artifacts. */
export function explain(error: unknown, outcome: Outcome): string {
  if (!(error instanceof CancelledError)) return errorMessage(error)
  if (outcome.success != null) {
    const missing = outcome.failedArtifacts?.map(f => f.name) ?? []
    const notDownloaded =
      missing.length > 0 ? ` These artifacts were not downloaded: ${listOf(missing)}.` : ''
    const kept =
      outcome.artifactsPath != null ? ` What was downloaded is in ${outcome.artifactsPath}.` : ''
    return `${error.message} The Datalore run ${outcome.runId} had finished (success: ${outcome.success}).${notDownloaded}${kept}`
  }
  return outcome.runId != null
    ? `${error.message} The Datalore run ${outcome.runId} keeps running: there is no API to cancel it. Collect it later with \`run-id: ${outcome.runId}\`.`
    : `${error.message} If the request to start the run had already reached Datalore, a run may have started: check the notebook's run history.`
}

export interface FinishedStep {
  runId: string
  success: boolean
  /** Where to look at the cells' output. */
  where: string
  failOnRunFailure: boolean
  /** What went wrong with the artifacts; each fails the step. */
  artifactProblems: string[]
}

/**
 * The step fails when the notebook failed (unless told otherwise) or an artifact went missing.
 * Returns the conclusion and the problem for the summary; the failures are already reported.
 */
export function judge(step: FinishedStep): { conclusion: Conclusion; problem?: string } {
  let problem: string | undefined
  if (!step.success) {
    problem = `The notebook run failed (Datalore run ${step.runId}): see ${step.where} for the cells' output.`
    if (step.failOnRunFailure) {
      fail(problem, 'Datalore run failed')
    } else {
      log.warning(`${problem} The step succeeds because \`fail-on-run-failure\` is false.`, {
        title: 'Datalore run failed'
      })
    }
  }
  for (const artifactProblem of step.artifactProblems) fail(artifactProblem, 'Datalore artifacts')
  if (step.artifactProblems.length === 0) {
    return { conclusion: step.success ? 'success' : 'failure', problem }
  }
  return {
    conclusion: 'failure',
    problem: [problem, ...step.artifactProblems].filter(p => p != null).join(' ')
  }
}
