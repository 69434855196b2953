/**
 * The workflow artifact names of a step: the names a workflow gave win, the names the action
 * derives give way, and no two are the same as the artifact service may compare them.
 */
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { ArtifactNames } from '../src/artifacts/artifact-names.js'
import { sameFileKey } from '../src/artifacts/file-names.js'
import { InputError } from '../src/errors.js'

describe('the artifact names of a step', () => {
  // Seen red against derived names that did not give way to the reserved ones (the page took
  // "report.html", the second entry's zip).
  it('gives a derived name way to one the workflow gave, before it is claimed', () => {
    const names = new ArtifactNames(['report', 'report.html'])
    expect(names.claimGiven('report')).toBe('report')
    expect(names.claimDerived('report.html')).toBe('report-2.html')
    expect(names.claimGiven('report.html')).toBe('report.html')
    expect(names.claimDerived('report.html.html')).toBe('report.html.html')
  })

  // Seen red against names compared as they are (case-sensitively).
  it('takes names that differ only in case for one', () => {
    const names = new ArtifactNames(['Report.HTML'])
    expect(names.claimDerived('report.html')).toBe('report-2.html')
    expect(names.claimDerived('REPORT-2.html')).toBe('REPORT-2-2.html')
    expect(() => new ArtifactNames(['Out', 'x', 'out'])).toThrow(InputError)
    expect(() => new ArtifactNames(['Out', 'x', 'out'])).toThrow(
      'Input `notebooks` has the artifact-names "Out" and "out", which differ only in case'
    )
  })

  it('never hands out a name twice, whatever the names and the order of claims', () => {
    const name = fc.string({
      unit: fc.constantFrom('a', 'A', 'b', '.', '-', '2', 'html'),
      maxLength: 8
    })
    fc.assert(
      fc.property(
        fc.uniqueArray(name, { selector: sameFileKey, maxLength: 5 }),
        fc.array(fc.tuple(fc.boolean(), fc.nat(), name), { maxLength: 20 }),
        (given, claims) => {
          const names = new ArtifactNames(given)
          const unclaimed = [...given]
          const handedOut: string[] = []
          for (const [takeGiven, pick, wanted] of claims) {
            if (takeGiven && unclaimed.length > 0) {
              const [own] = unclaimed.splice(pick % unclaimed.length, 1)
              handedOut.push(names.claimGiven(own ?? ''))
            } else {
              const claimed = names.claimDerived(wanted)
              // A derived name never takes one the workflow gave, claimed yet or not.
              expect(given.map(sameFileKey)).not.toContain(sameFileKey(claimed))
              handedOut.push(claimed)
            }
          }
          expect(new Set(handedOut.map(sameFileKey)).size).toBe(handedOut.length)
        }
      )
    )
  })
})
