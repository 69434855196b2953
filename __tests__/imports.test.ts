/**
 * No import circle in `src/`: every module stands above what it imports, so each can be read,
 * tested and loaded on its own. Type-only imports count too: a circle of types is a circle of
 * ideas, and it becomes a runtime one the day a type gains a value beside it.
 *
 * Seen red against the tree before the circle was opened (explain.ts took `shellInertJson` from
 * outputs.ts above it; page/template.ts and page/render.ts imported each other): the test named
 * the seven files of that circle.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { ROOT } from './support/action.js'

const SRC = join(ROOT, 'src')

/** Every `import ... from './x.js'` and `export ... from './x.js'` of a file, as files of src. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8')
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)
  ].map(match => match[1] ?? '')
  return specifiers
    .filter(specifier => specifier.startsWith('.'))
    .map(specifier => resolve(dirname(file), specifier.replace(/\.js$/, '.ts')))
}

/** The import graph of src/: file -> the files it imports. */
function graphOfSrc(): Map<string, string[]> {
  const files = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter(path => path.endsWith('.ts'))
    .map(path => join(SRC, path))
  return new Map(files.map(file => [file, importsOf(file)]))
}

/** The circles of a graph: its strongly connected components of more than one file (Tarjan). */
export function circles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (node: string): void => {
    index.set(node, next)
    low.set(node, next)
    next++
    stack.push(node)
    onStack.add(node)
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to)
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0))
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string | undefined
    do {
      member = stack.pop()
      if (member == null) break
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    const selfLoop = (graph.get(node) ?? []).includes(node)
    if (component.length > 1 || selfLoop) found.push(component.sort())
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return found
}

describe('imports in src/', () => {
  it('form no circle', () => {
    const graph = graphOfSrc()
    expect(graph.size).toBeGreaterThan(40)
    const named = circles(graph).map(circle => circle.map(file => relative(ROOT, file)))
    expect(named).toEqual([])
  })

  it('are all read: every relative import names a file of src/', () => {
    const graph = graphOfSrc()
    const missing = [...graph].flatMap(([file, imports]) =>
      imports
        .filter(to => !graph.has(to))
        .map(to => `${relative(ROOT, file)} -> ${relative(ROOT, to)}`)
    )
    expect(missing).toEqual([])
    // Type-only imports and dynamic imports are read too.
    const explain = join(SRC, 'artifacts', 'collect.ts')
    expect(graph.get(explain)).toEqual(
      expect.arrayContaining([
        join(SRC, 'notebook', 'explain.ts'),
        join(SRC, 'notebook', 'read.ts')
      ])
    )
  })

  it('the circle finder finds a circle, and a chain is none', () => {
    const circle = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a', 'd']],
      ['d', []]
    ])
    expect(circles(circle)).toEqual([['a', 'b', 'c']])
    expect(circles(new Map([['a', ['a']]]))).toEqual([['a']])
    expect(
      circles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', []]
        ])
      )
    ).toEqual([])
  })
})
