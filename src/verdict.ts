/**
 * How the step ends: what failed it, what it only warns about, and what a person reads. The
 * one funnel for failures is `fail`: an error annotation and a failing exit code.
 */
import * as core from '@actions/core'
import { CancelledError, errorMessage, InputError, TimeoutError } from './errors.js'
import { listOf, log, quote } from './log.js'
import {
  annotationMessage,
  cellLabel,
  errorLine,
  errorsOf,
  NotebookError,
  NotebookFinding,
  tracebackGroup,
  Values
} from './notebook/explain.js'
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
  /** `timeout-minutes` ran out before the artifacts were collected. */
  outOfTime?: boolean
  /** What the executed notebooks say; undefined when none was read. */
  notebooks?: NotebookFinding[]
  /** The values they glued (notebook/explain.ts `valuesOf`), read with them. */
  values?: Values
}

export interface Judgement {
  conclusion: Conclusion
  /** Why the step failed (or what it warns about), for the summary. */
  problem?: string
  notebookErrors?: NotebookError[]
  failedCell?: number
  error?: string
  values?: Values
}

/** Annotations for this many failing cells at most; the summary and the log say how many more. */
const MAX_ANNOTATED_CELLS = 10

/**
 * The step fails when the notebook failed (unless told otherwise) or an artifact went missing.
 * A failed run is explained by the executed notebook's failing cells, when it could be read.
 */
export function judge(step: FinishedStep): Judgement {
  const findings = step.notebooks ?? []
  for (const finding of findings) {
    if (finding.unreadable == null) continue
    log.notice(
      `Could not read the executed notebook ${quote(finding.name)}: ${finding.unreadable}. The step's result does not depend on it.`,
      { title: 'Executed notebook not read' }
    )
  }
  const { values } = step
  if (values != null && values.entries.length > 0) {
    log.info(
      `The executed notebook glued ${values.entries.length} value(s), in the \`values\` output: ${listOf(values.entries.map(([name]) => name))}`
    )
  }
  for (const { name, why } of values?.leftOut ?? []) {
    log.warning(`The glued value ${quote(name)} is not in the \`values\` output: ${why}.`, {
      title: 'Glued value left out'
    })
  }
  const errors = errorsOf(findings)
  const judgement: Judgement = { conclusion: step.success ? 'success' : 'failure', values }
  if (step.success) warnOfErrors(errors, findings.length > 1)
  else Object.assign(judgement, explainFailure(step, errors, findings))
  for (const problem of step.artifactProblems) fail(problem, 'Datalore artifacts')
  if (step.artifactProblems.length > 0) {
    // Artifacts lost to the deadline: the step ran out of time, as `timeout-minutes` promises.
    judgement.conclusion = step.outOfTime === true ? 'timed_out' : 'failure'
    judgement.problem = [judgement.problem, ...step.artifactProblems]
      .filter(p => p != null)
      .join(' ')
  }
  return judgement
}

/** A run that succeeded although a cell holds an error output: worth a warning, not a failure. */
function warnOfErrors(errors: NotebookError[], several: boolean): void {
  for (const error of errors.slice(0, MAX_ANNOTATED_CELLS)) {
    const where = cellLabel(error, several)
    log.group(`Traceback of ${where}`, tracebackGroup(error))
    log.warning(annotationMessage(error), {
      title: `The run succeeded, but ${where} holds an error`
    })
  }
}

function explainFailure(
  step: FinishedStep,
  errors: NotebookError[],
  findings: NotebookFinding[]
): Partial<Judgement> {
  const several = findings.length > 1
  const report = step.failOnRunFailure
    ? (message: string, title: string) => fail(message, title)
    : (message: string, title: string) =>
        log.warning(`${message}\n\nThe step succeeds because \`fail-on-run-failure\` is false.`, {
          title
        })
  const [first] = errors
  if (first == null) {
    const read = findings.some(f => f.reading != null)
    const why = read
      ? ' The executed notebook shows no error output: look at the run on Datalore.'
      : ''
    const problem = `The notebook run failed (Datalore run ${step.runId}): see ${step.where} for the cells' output.${why}`
    report(problem, 'Datalore run failed')
    return { problem }
  }
  for (const error of errors.slice(0, MAX_ANNOTATED_CELLS)) {
    const where = cellLabel(error, several)
    log.group(`Traceback of ${where}`, tracebackGroup(error))
    report(annotationMessage(error), `Datalore run failed in ${where}`)
  }
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more cell(s) with errors)` : ''
  return {
    problem: `The notebook run failed in ${cellLabel(first, several)}${more} (Datalore run ${step.runId}): ${errorLine(first)}. See ${step.where} for the notebook.`,
    notebookErrors: errors,
    failedCell: first.cell,
    error: errorLine(first)
  }
}
