/**
 * The guard of stdout and stderr in process: what a dependency writes itself is outside text,
 * what the action writes through ./src/log.ts passes as it is. (./stdio.e2e.test.ts runs the
 * bundle with a dependency that writes, and a crash.)
 */
import { Console } from 'node:console'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { addSecret, asRun, log } from '../src/log.js'
import { guardStdio } from '../src/stdio-guard.js'
import { captureStdout } from './support/capture.js'
import { hostileText, TOKEN } from './support/hostile.js'
import { foreignCommands, parseWorkflowCommands } from './support/workflow-commands.js'

captureStdout(() => addSecret(TOKEN))

type Write = typeof process.stdout.write

/** What `work` wrote to stdout and stderr with the guard on, as the runner would read them. */
async function guarded(work: () => unknown): Promise<{ stdout: string; stderr: string }> {
  const written = { stdout: '', stderr: '' }
  const originals = { stdout: process.stdout.write, stderr: process.stderr.write }
  const collect = (stream: 'stdout' | 'stderr'): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      written[stream] += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
      const done = rest.find(arg => typeof arg === 'function') as (() => void) | undefined
      done?.()
      return true
    }) as Write
  process.stdout.write = collect('stdout')
  process.stderr.write = collect('stderr')
  const unguard = guardStdio()
  try {
    await work()
  } finally {
    unguard()
    process.stdout.write = originals.stdout
    process.stderr.write = originals.stderr
  }
  return written
}

/** A dependency's console: it writes to the streams as they are when it writes. */
const dependency = () => new Console({ stdout: process.stdout, stderr: process.stderr })

describe("a dependency's writes", () => {
  // Seen red against a guard that lets every write pass (isOwnWrite always true): the first
  // hostile text put its command on stdout and stderr as it came.
  it('never put a command on stderr, nor one on stdout but a plain debug line or warning', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, async text => {
        const { stdout, stderr } = await guarded(() => {
          dependency().log(text)
          dependency().error(text)
          process.stdout.write(Buffer.from(text))
          process.stderr.write(text)
        })
        expect(parseWorkflowCommands(stderr)).toEqual([])
        expect(foreignCommands(stdout, [])).toEqual([])
        for (const command of parseWorkflowCommands(stdout)) {
          expect(['debug', 'warning', 'notice']).toContain(command.name)
          expect(command.properties).toEqual({})
        }
        expect(`${stdout}${stderr}`).not.toContain(TOKEN)
      })
    )
  })

  it("keep @actions/core's debug lines as debug lines, cleaned, and drop its add-mask", async () => {
    const { stdout } = await guarded(() => {
      process.stdout.write(
        `::debug::Body: {%0A  "url": "https://blob.example/c?sig=S1G"%0A} ${TOKEN}\n`
      )
      process.stdout.write('::add-mask::S1G\n')
      process.stdout.write(
        '::notice::a notice\n::warning file=x,line=1::a warning\n::error::an error\n'
      )
    })
    expect(parseWorkflowCommands(stdout).map(c => [c.name, c.properties, c.data])).toEqual([
      ['debug', {}, 'Body: {\n  "url": "https://blob.example/c"\n} ***'],
      ['notice', {}, 'a notice'],
      ['warning', {}, 'a warning'],
      ['warning', {}, 'an error']
    ])
    expect(stdout).not.toContain('S1G')
  })

  // Seen red against asLines without its closing line break: "a ##[x] y" on one line.
  it('end the line they leave open: what comes next starts its own', async () => {
    const { stdout } = await guarded(() => {
      process.stdout.write('a ##')
      process.stdout.write('[x] y')
      log.info('::z')
    })
    expect(stdout).toBe('a ##\n[x] y\n| ::z\n')
  })

  it('call the callback they pass, once written', async () => {
    const called: string[] = []
    await guarded(() => {
      process.stdout.write('text\n', () => called.push('stdout'))
      process.stdout.write('::debug::x\n', 'utf8', () => called.push('stdout command'))
      process.stderr.write('text\n', () => called.push('stderr'))
    })
    expect(called).toEqual(['stdout', 'stdout command', 'stderr'])
  })
})

describe("the action's own writes", () => {
  it('pass as they are', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, hostileText, async (text, title) => {
        const say = () => {
          log.info(text)
          log.warning(text, { title })
          log.debug(text)
          log.group(title, [text, text])
        }
        const unguarded = captureStdout(say)
        const { stdout, stderr } = await guarded(say)
        expect(stdout).toBe(unguarded)
        expect(stderr).toBe('')
      })
    )
  })
})

// Seen red against a guard that printed a dependency's lines without logLines' prefix:
// "Uploading artifact: sales.zip" without "[sales EU] ".
describe('in a run of several', () => {
  it("starts every line with the run's name, a dependency's and the action's alike", async () => {
    const { stdout, stderr } = await guarded(() =>
      asRun({ name: 'sales EU', held: [] }, async () => {
        dependency().log('Uploading artifact: sales.zip\n::group::x')
        process.stdout.write('::debug::[Request] PUT https://results.example/upload\n')
        log.info('Run r1 submitted')
        dependency().error('a warning of Node')
      })
    )
    expect(stdout).toBe(
      '[sales EU] Uploading artifact: sales.zip\n[sales EU] | ::group::x\n' +
        '::debug::[sales EU] [Request] PUT https://results.example/upload\n' +
        '[sales EU] Run r1 submitted\n'
    )
    expect(stderr).toBe('[sales EU] a warning of Node\n')
  })
})
