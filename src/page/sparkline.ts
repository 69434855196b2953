/**
 * A number's history as a small inline SVG: a line through its runs, this run a dot at its end.
 * Inline `<svg>` markup is part of the page, not a resource it fetches, so the page's
 * Content-Security-Policy (`default-src 'none'`) lets it show; it holds no script, no link and
 * no text from outside: only coordinates computed here and a label of numbers written here.
 */
import type { Series } from '../compare/series.js'
import { escapeHtml } from '../html.js'

const WIDTH = 120
const HEIGHT = 24
/** Room for the dot and the line's width at the edges. */
const PAD = 3

export function sparkline(series: Series): string {
  const values = series.points.map(point => point.value)
  const low = Math.min(...values)
  const high = Math.max(...values)
  const step = (WIDTH - 2 * PAD) / Math.max(1, values.length - 1)
  const y = (value: number): number =>
    high === low ? HEIGHT / 2 : PAD + ((high - value) / (high - low)) * (HEIGHT - 2 * PAD)
  const coordinates = values.map((value, index) => [PAD + index * step, y(value)] as const)
  const points = coordinates.map(([px, py]) => `${round(px)},${round(py)}`).join(' ')
  const [lastX, lastY] = coordinates[coordinates.length - 1] ?? [0, 0]
  const first = series.points[0]?.value ?? 0
  const last = series.points[series.points.length - 1]?.value ?? 0
  const label = `${values.length} runs, from ${short(first)} to ${short(last)}`
  return `<svg class="spark" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(label)}"><polyline points="${points}" fill="none" stroke="currentColor" stroke-width="1.5"/><circle cx="${round(lastX)}" cy="${round(lastY)}" r="2.5" fill="currentColor"/></svg>`
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10)
}

/** A double as people read it in a label: six significant digits. */
function short(value: number): string {
  return String(Number(value.toPrecision(6)))
}
