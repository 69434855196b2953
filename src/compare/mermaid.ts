/**
 * A number's history as a Mermaid `xychart-beta` line chart, in a ```mermaid fence: Markdown
 * that GitHub draws in a job summary (and in a comment). It is the only Markdown the summary
 * holds beside its HTML, so nothing in it may come from outside as it was written:
 *
 * - the title is the chart's number and its path reduced to TITLE_ALPHABET (every other
 *   character becomes `_`), in double quotes; the summary's HTML names each chart's value in
 *   full, escaped, beside its number;
 * - the x-axis labels are commits as seven hexadecimal digits, `?`, or `this run`, made unique
 *   by a count (a band axis would draw two equal labels as one point);
 * - the numbers are written here, as plain decimals (the chart's grammar takes no exponent:
 *   `[+-]?(\d+(\.\d+)?|\.\d+)`), scaled by a power of ten named in the y-axis title when they
 *   are too large or too small to write so.
 *
 * So no line can end the fence (no backtick), start a directive or a comment (no `%`), or add
 * a statement (no line break, no `;`): what the chart says is ours, and only the values' names
 * were reduced. The job summary's shape test reads every fence back against CHART_SHAPE.
 */
import type { Series } from './series.js'

/** Characters a title keeps; the reduced path is cut to MAX_TITLE. */
const TITLE_ALPHABET = /[^A-Za-z0-9 _.\-[\]]/g
const MAX_TITLE = 60
const LABEL = /^[A-Za-z0-9 ?]+$/
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/

/** What every chart this module writes looks like, line for line. */
export const CHART_SHAPE =
  /^xychart-beta\n {2}title "\d+\. [A-Za-z0-9 _.\-[\]]*"\n {2}x-axis \["[A-Za-z0-9 ?]+"(, "[A-Za-z0-9 ?]+")*\]\n {2}y-axis "[A-Za-z0-9 .-]+"\n {2}line \[-?\d+(\.\d+)?(, -?\d+(\.\d+)?)*\]\n$/

/** The chart's fenced block (its lines, the fence included), or undefined if it cannot be one. */
export function mermaidChart(series: Series, number: number): string | undefined {
  const labels = uniqueLabels(series.points.map(point => point.label))
  const values = series.points.map(point => point.value)
  const { scale, unit } = scaleOf(values)
  const numbers = values.map(value => plainDecimal(value / 10 ** scale))
  if (!labels.every(label => LABEL.test(label))) return undefined
  if (!numbers.every(text => PLAIN_NUMBER.test(text))) return undefined
  const title = `${number}. ${series.path.replace(TITLE_ALPHABET, '_')}`.slice(0, MAX_TITLE)
  const body = [
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${labels.map(label => `"${label}"`).join(', ')}]`,
    `  y-axis "${unit}"`,
    `  line [${numbers.join(', ')}]`,
    ''
  ].join('\n')
  return CHART_SHAPE.test(body) ? `\n\`\`\`mermaid\n${body}\`\`\`\n` : undefined
}

/** Each label once: a label seen before gets its count (`a1b2c3d 2`). */
function uniqueLabels(labels: readonly string[]): string[] {
  const seen = new Map<string, number>()
  return labels.map(label => {
    const count = (seen.get(label) ?? 0) + 1
    seen.set(label, count)
    return count === 1 ? label : `${label} ${count}`
  })
}

/**
 * The power of ten the values are divided by, and the y-axis title that says so: none while the
 * largest magnitude is from 1e-4 to 1e12, else the one that brings it between 1 and 1000.
 */
function scaleOf(values: readonly number[]): { scale: number; unit: string } {
  const largest = Math.max(0, ...values.map(Math.abs))
  if (largest === 0 || (largest >= 1e-4 && largest < 1e12)) return { scale: 0, unit: 'value' }
  const scale = Math.floor(Math.log10(largest) / 3) * 3
  return { scale, unit: `value x 1e${scale}` }
}

/** A finite double as a plain decimal, twelve significant digits at most, no exponent. */
export function plainDecimal(value: number): string {
  const short = String(Number(value.toPrecision(12)))
  if (!/e/i.test(short)) return short === '-0' ? '0' : short
  // Far smaller than the chart's largest value: drawn as 0 anyway, written without exponent.
  const fixed = Math.abs(value) < 1e21 ? value.toFixed(20).replace(/\.?0+$/, '') : '0'
  return fixed === '-0' || fixed === '' ? '0' : fixed
}
