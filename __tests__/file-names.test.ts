import { join, resolve, sep } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { safeFileName, safeFileNames, sameFileKey } from '../src/artifacts/file-names.js'

describe('a safe file name', () => {
  it.each([
    ['analysis.ipynb', 'analysis.ipynb'],
    ['résumé 2026 ✓.pdf', 'résumé 2026 ✓.pdf'],
    ['../../x', 'x'],
    ['/etc/passwd', 'etc_passwd'],
    ['reports\\q1.csv', 'reports_q1.csv'],
    ['reports/q1.csv', 'reports_q1.csv'],
    ['..', 'artifact'],
    ['', 'artifact'],
    ['"?*:<>|', '_______'],
    ['a\r\nb\u0000.txt', 'a__b_.txt'],
    ['CON', '_CON'],
    ['nul.txt', '_nul.txt'],
    ['trailing. ', 'trailing']
  ])('of %j is %j', (name, expected) => {
    expect(safeFileName(name)).toBe(expected)
  })

  it('keeps a long name under 200 bytes, with its extension, without splitting a character', () => {
    const long = `${'é'.repeat(300)}.ipynb`
    const safe = safeFileName(long)
    expect(Buffer.byteLength(safe)).toBeLessThanOrEqual(200)
    expect(safe.endsWith('.ipynb')).toBe(true)
    expect(safe).toMatch(/^é+\.ipynb$/)
  })
})

describe("a run's list of names", () => {
  it('disambiguates duplicates, also by case, and never reuses an existing file', () => {
    expect(safeFileNames(['a.csv', 'a.csv', 'A.CSV', 'a (2).csv'], ['a (3).csv'])).toEqual([
      'a.csv',
      'a (2).csv',
      'A (4).CSV',
      'a (2) (2).csv'
    ])
  })
})

describe('absurd lists', () => {
  it('names 100,000 copies of one name, in any case or normal form, without a quadratic search', () => {
    const names = Array.from(
      { length: 100_000 },
      (_, i) => ['Résumé.csv', 'Re\u0301sume\u0301.csv', 'RÉSUMÉ.CSV'][i % 3] ?? ''
    )
    const files = safeFileNames(names)
    expect(new Set(files.map(sameFileKey)).size).toBe(100_000)
    expect(files[99_999]).toBe('Résumé (100000).csv')
  })

  it('cuts a name of megabytes, and one made of spaces and dots, in linear time', () => {
    expect(safeFileName(`a${' '.repeat(4_000_000)}b`)).toBe('a')
    expect(safeFileName(`${'. '.repeat(2_000_000)}x`)).toBe('x')
    expect(Buffer.byteLength(safeFileName('é'.repeat(4_000_000)))).toBeLessThanOrEqual(200)
  })

  it("breaks the runner's legacy command marker and drops invisible characters", () => {
    expect(safeFileName('##[error]x.txt')).toBe('##_error]x.txt')
    expect(safeFileName('#\u00ad#[error]x.txt')).toBe('#_#[error]x.txt')
  })
})

describe('properties', () => {
  const names = fc.array(
    fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
      fc.string({ unit: 'binary', maxLength: 40 }),
      // Halves of surrogate pairs, which a file system cannot store as given.
      fc
        .array(
          fc.oneof(fc.constantFrom('\uD800', '\uDFFF'), fc.string({ unit: 'binary', maxLength: 4 }))
        )
        .map(parts => parts.join('')),
      fc.constantFrom('..', '.', '/', '\\\\', 'CON', '')
    ),
    { maxLength: 40 }
  )
  // eslint-disable-next-line no-control-regex -- control characters are what the check is about
  const forbidden = /[":<>|*?\\/\u0000-\u001f\u007f]/
  const target = resolve('/tmp/artifacts')

  it('always lies inside the target folder, is never empty, has nothing the service refuses', () => {
    fc.assert(
      fc.property(names, list => {
        for (const file of safeFileNames(list)) {
          expect(file).not.toBe('')
          expect(file).not.toMatch(forbidden)
          expect(file).not.toMatch(/^\.\.?$/)
          expect(resolve(join(target, file)).startsWith(target + sep)).toBe(true)
          expect(Buffer.byteLength(file)).toBeLessThanOrEqual(255)
          // What is reported is exactly what the file system gets.
          expect(Buffer.from(file, 'utf8').toString('utf8')).toBe(file)
        }
      })
    )
  })

  it('is unique per run (also across case and Unicode normal forms) and stable for the same input', () => {
    fc.assert(
      fc.property(names, list => {
        const files = safeFileNames(list)
        expect(files).toHaveLength(list.length)
        expect(new Set(files.map(f => f.toLowerCase())).size).toBe(files.length)
        expect(new Set(files.map(f => f.normalize('NFC').toLowerCase())).size).toBe(files.length)
        expect(safeFileNames(list)).toEqual(files)
      })
    )
  })
})
