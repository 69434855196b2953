/**
 * The `changes` output: a run's comparison with its baseline as JSON that a workflow reads with
 * `fromJSON`, one object per entry (compare/values.ts), in the comparison's order:
 *
 *   {name, path, status, baseline, value, change, relative}
 *
 * every key always there: `baseline` is null for an added value and `value` for a removed one,
 * `change` and `relative` are null unless both sides are numbers (and `relative` when the
 * baseline is 0). Numbers are written as the notebook wrote them, `change` exactly; the JSON is
 * shell-inert like every JSON output (./output-json.ts).
 *
 * An output holds at most 1 MB as GitHub counts it (two bytes a character), measured here as
 * written. When the entries do not all fit, those that matter least are left out first, whole:
 * unchanged ones, then those within tolerance, then added ones; the changed and removed ones
 * only when nothing else is left to leave out (each that fits is kept, in order). A warning says
 * how many of each were left out; `changed-count` always counts them all.
 */
import type { ChangeStatus, ValueChange } from './compare/values.js'
import { log } from './log.js'
import { shellInertJson, utf16Bytes } from './output-json.js'

/** Kept first to last: what a workflow gates on comes first. */
const KEPT_FIRST: ReadonlyArray<readonly ChangeStatus[]> = [
  ['changed', 'removed'],
  ['added'],
  ['within-tolerance'],
  ['unchanged']
]

/** The entries as JSON within `maxBytes` (as GitHub counts); `where` names the output in a warning. */
export function changesJson(
  changes: readonly ValueChange[],
  maxBytes: number,
  where: string
): string {
  const entries = changes.map(entryJson)
  const kept = new Array<boolean>(changes.length).fill(false)
  const leftOut = new Map<ChangeStatus, number>()
  let bytes = utf16Bytes('[]')
  for (const statuses of KEPT_FIRST) {
    changes.forEach((change, index) => {
      if (!statuses.includes(change.status)) return
      // The entry and a comma: a little more than is written, never less.
      const size = utf16Bytes(entries[index] ?? '') + utf16Bytes(',')
      if (bytes + size <= maxBytes) {
        bytes += size
        kept[index] = true
      } else leftOut.set(change.status, (leftOut.get(change.status) ?? 0) + 1)
    })
  }
  if (leftOut.size > 0) {
    const counts = [...leftOut].map(([status, count]) => `${count} ${status}`).join(', ')
    log.warning(
      `${where} leaves out ${counts} entries: an output holds at most ${maxBytes / 1_000_000} MB as GitHub counts it (two bytes a character). \`changed-count\` counts every entry; the job summary shows the changed ones first.`,
      { title: 'Changes left out' }
    )
  }
  return `[${entries.filter((_, index) => kept[index]).join(',')}]`
}

function entryJson(change: ValueChange): string {
  return shellInertJson({
    name: change.name,
    path: change.path,
    status: change.status,
    baseline: change.status === 'added' ? null : change.baseline,
    value: change.status === 'removed' ? null : change.value,
    change: change.change ?? null,
    relative: change.relative ?? null
  })
}
