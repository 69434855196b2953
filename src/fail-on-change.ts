/**
 * What a run's comparison with its baseline means for the step: with `fail-on-change`, a value
 * changed or removed beyond its tolerance fails it (an added one never does), after everything
 * else is done (the caller's part: see one-run.ts). Values the comparison could not take (past
 * its limits, compare/values.ts) are never passed over in silence: a warning names them, and
 * with `fail-on-change` they fail the step too, since nothing can be said of them; an `ignore`
 * rule in `tolerance` leaves them out knowingly.
 *
 * Names and values come from the notebooks (and the baseline's from whoever wrote the base
 * branch): each is quoted or clipped to one line, and the one annotation is bounded, so that it
 * stays a single readable annotation whatever they hold.
 */
import { numberChange, shortSha } from './compare/show.js'
import type { ValueChange } from './compare/values.js'
import { clip, listOf, log, quote } from './log.js'
import { writeJson } from './notebook/json-value.js'
import type { Outcome } from './outcome.js'
import { fail } from './verdict.js'

/** Characters of the annotation, as GitHub shows one whole. */
const MAX_ANNOTATION = 4_000
const MAX_PATH = 100
const MAX_VALUE = 80
/** Values named in a warning of values not compared. */
const MAX_NOT_COMPARED = 10

/** Judges the run's comparison, when it has one; fails the step as `fail-on-change` says. */
export function judgeChanges(outcome: Outcome, failOnChange: boolean): void {
  const comparison = outcome.comparison
  if (comparison == null) return
  const { baseline, notCompared } = comparison
  const changed = comparison.changes.filter(c => c.status === 'changed' || c.status === 'removed')
  const where = `the baseline (workflow run ${baseline.runId} on ${quote(baseline.branch)}, commit ${clip(shortSha(baseline.sha), 10)})`
  const unseen =
    notCompared.length === 0
      ? undefined
      : `${notCompared.length} value(s) were not compared with ${where}: ${notCompared
          .slice(0, MAX_NOT_COMPARED)
          .map(({ name, why }) => `${quote(name)} (${clip(why, 200)})`)
          .join(
            '; '
          )}${notCompared.length > MAX_NOT_COMPARED ? `; and ${notCompared.length - MAX_NOT_COMPARED} more` : ''}.`
  if (!failOnChange) {
    if (unseen != null) {
      log.warning(
        `${unseen} A change in them goes unseen. Leave them out knowingly with \`tolerance: <name>: ignore\`.`,
        { title: 'Values not compared' }
      )
    }
    return
  }
  if (changed.length === 0 && unseen == null) {
    log.info('`fail-on-change`: no value changed or was removed beyond its tolerance.')
    return
  }
  const parts: string[] = []
  if (changed.length > 0) {
    parts.push(
      `${changed.length} value(s) changed or removed beyond their tolerance since ${where}, and \`fail-on-change\` is true:\n${changeLines(changed)}`
    )
  }
  if (unseen != null) {
    parts.push(
      `${unseen} With \`fail-on-change\` that fails the step: a change in them could not be seen. Leave them out knowingly with \`tolerance: <name>: ignore\`.`
    )
  }
  fail(parts.join('\n\n'), changed.length > 0 ? 'Values changed' : 'Values not compared')
  const named =
    changed.length > 0
      ? `: ${listOf(
          changed.map(c => c.path),
          5
        )}`
      : ''
  const problem =
    changed.length > 0
      ? `${changed.length} value(s) changed or removed beyond their tolerance (\`fail-on-change\`)${named}.`
      : `${notCompared.length} value(s) could not be compared with the baseline (\`fail-on-change\`).`
  if (outcome.conclusion === 'success' || outcome.conclusion == null) outcome.conclusion = 'failure'
  outcome.problem = outcome.problem == null ? problem : `${outcome.problem} ${problem}`
}

/** A line per change, both sides: as many as the annotation holds, then how many more. */
function changeLines(changed: readonly ValueChange[]): string {
  const lines: string[] = []
  let length = 0
  for (const [index, change] of changed.entries()) {
    const line = changeLine(change)
    const rest = changed.length - index
    // Room for this line and, should more follow, the line that counts them.
    if (length + line.length + 1 + (rest > 1 ? 80 : 0) > MAX_ANNOTATION - 600) {
      lines.push(`... and ${rest} more: see the job summary, or the \`changes\` output.`)
      break
    }
    lines.push(line)
    length += line.length + 1
  }
  return lines.join('\n')
}

/** `metrics.f1: 0.5 -> 0.25, -0.25 (-50%)`: a path is one line already (compare/paths.ts). */
function changeLine(change: ValueChange): string {
  const path = clip(change.path, MAX_PATH)
  const shown = (value: unknown): string => clip(writeJson(value), MAX_VALUE)
  if (change.status === 'removed') return `${path}: removed (was ${shown(change.baseline)})`
  const delta = numberChange(change)
  const by = delta == null ? '' : `, ${clip(delta, 80)}`
  return `${path}: ${shown(change.baseline)} -> ${shown(change.value)}${by}`
}
