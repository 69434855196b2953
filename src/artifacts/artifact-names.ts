/**
 * The workflow artifact names of a whole step, zips and pages alike: none may be another's. The
 * artifact service refuses a second artifact of a name in the run (or, with `overwrite`, replaces
 * the first), so two runs whose names meet would lose one of them: `artifact-name: report` makes
 * the page `report.html`, which is exactly the zip of an entry named `report.html`.
 *
 * Names the workflow gave are reserved before any run starts, and win; a name the action derives
 * (the default zip name, a page's name) gives way to them and to every name already taken, with
 * `-2`, `-3`, ... before its extension. Whether GitHub tells names apart by case is not
 * documented, so names are compared as a case-insensitive file system would compare them.
 */
import { InputError } from '../errors.js'
import { Inputs } from '../inputs/names.js'
import { quote } from '../log.js'
import { sameFileKey, withSuffix } from './file-names.js'

export class ArtifactNames {
  private readonly given = new Map<string, string>()
  private readonly taken = new Set<string>()

  /**
   * Reserves the names the workflow gave (a step's entries, in order). Two that differ only in
   * case are refused: the artifact service may take them for one.
   */
  constructor(
    given: ReadonlyArray<string | undefined> = [],
    /** Names the action must use as they are (the values artifacts of `baseline`): reserved too. */
    fixed: readonly string[] = []
  ) {
    for (const name of given) {
      if (name == null) continue
      const key = sameFileKey(name)
      const first = this.given.get(key)
      if (first != null && first !== name) {
        throw new InputError(
          Inputs.Notebooks,
          `has the artifact-names ${quote(first)} and ${quote(name)}, which differ only in case: the artifact service may take them for one name`,
          'give each entry an `artifact-name` of its own, or leave it out for the default (unique per run)'
        )
      }
      this.given.set(key, name)
    }
    for (const name of fixed) {
      const taken = this.given.get(sameFileKey(name))
      if (taken != null) {
        throw new InputError(
          Inputs.BaselineKey,
          `makes the values artifact ${quote(name)}, which is also the artifact-name ${quote(taken)} given for another workflow artifact`,
          'another `baseline-key`, or another `artifact-name`'
        )
      }
      this.given.set(sameFileKey(name), name)
    }
  }

  /** A name the workflow gave: it was reserved for the entry that gave it. */
  claimGiven(name: string): string {
    this.taken.add(sameFileKey(name))
    return name
  }

  /** A name the action derives: `wanted`, or the first of `wanted-2`, `wanted-3`, ... that is free. */
  claimDerived(wanted: string): string {
    let name = wanted
    for (let n = 2; this.isTaken(name); n++) name = withSuffix(wanted, `-${n}`)
    this.taken.add(sameFileKey(name))
    return name
  }

  private isTaken(name: string): boolean {
    const key = sameFileKey(name)
    return this.taken.has(key) || this.given.has(key)
  }
}
