import { describe, expect, it } from '@jest/globals'
import { parseRunStatus } from '../src/datalore/api.js'
import { serverMessage } from '../src/datalore/answers.js'
import { ProtocolError } from '../src/errors.js'

describe('a status document', () => {
  it('is read as documented', () => {
    expect(
      parseRunStatus('r1', {
        runId: 'r1',
        userId: 'u',
        notebookId: 'n',
        startTime: '2026-04-26T12:26:06Z',
        endTime: '2026-04-26T12:31:40Z',
        success: false,
        updateReport: 'never',
        artifacts: [{ name: 'a.ipynb', path: '/notebook/u/n/artifacts/r1/a.ipynb' }],
        readOnly: false
      })
    ).toEqual({
      runId: 'r1',
      status: undefined,
      startTime: '2026-04-26T12:26:06Z',
      endTime: '2026-04-26T12:31:40Z',
      success: false,
      artifacts: [{ name: 'a.ipynb', path: '/notebook/u/n/artifacts/r1/a.ipynb' }]
    })
  })

  it('is still running while endTime is absent or null, whatever the status says', () => {
    expect(parseRunStatus('r1', { status: 'FINISHED', success: true }).endTime).toBeUndefined()
    expect(parseRunStatus('r1', { status: 'x', endTime: null }).endTime).toBeUndefined()
    expect(parseRunStatus('r1', { status: { phase: 'odd' } }).status).toBe('{"phase":"odd"}')
  })

  const T = '2026-04-26T12:31:40Z'
  it.each([
    [[], /not a JSON object/],
    ['text', /not a JSON object/],
    [{ runId: 'r2' }, /describes run "r2", not the one asked for/],
    [{ endTime: T }, /"success" is missing instead of true or false/],
    [{ endTime: T, success: 'true' }, /"success" is "true" instead of true or false/],
    [{ endTime: 5, success: true }, /"endTime" is not an ISO 8601 time/],
    [{ endTime: 'x', success: true }, /"endTime" is not an ISO 8601 time/],
    [{ startTime: '$(curl evil)', endTime: T, success: true }, /"startTime" is not an ISO/],
    [{ artifacts: {} }, /"artifacts" is not a list/],
    [{ artifacts: [{ name: 'a' }] }, /an entry of "artifacts" is not/]
  ])('is refused when %j', (document, message) => {
    expect(() => parseRunStatus('r1', document)).toThrow(ProtocolError)
    expect(() => parseRunStatus('r1', document)).toThrow(message)
  })
})

describe("a server's error message", () => {
  it('is read from error, then message, then the raw text cut short', () => {
    expect(serverMessage('{"error": "Bad notebook", "message": "m"}')).toBe('Bad notebook')
    expect(serverMessage('{"message": "Token expired"}')).toBe('Token expired')
    expect(serverMessage('<html><head><title>Sign in</title></head><body>x</body></html>')).toBe(
      'an HTML page titled "Sign in"'
    )
    expect(serverMessage('<p>plain\n\n  html</p>')).toBe('plain html')
    // 300 characters at most, the mark included.
    expect(serverMessage('x'.repeat(400))).toBe(`${'x'.repeat(297)}...`)
  })
})
