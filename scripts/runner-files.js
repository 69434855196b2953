// @ts-check
/** Reading the files a GitHub runner gives a step (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY). */

/**
 * Parses GITHUB_OUTPUT: `name<<DELIMITER\nvalue\nDELIMITER` blocks, as @actions/core writes them.
 * A name written twice keeps its last value, as the runner does.
 * @param {string} text
 * @returns {Record<string, string>}
 */
export function parseOutputs(text) {
  /** @type {Record<string, string>} */
  const outputs = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name = '', delimiter] = heredoc
      const value = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      outputs[name] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      outputs[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return outputs
}

/**
 * A rough text rendering of the job summary's HTML, for a terminal.
 * @param {string} html
 */
export function renderSummaryForTerminal(html) {
  return html
    .replace(/<h2>(.*?)<\/h2>/g, '\n## $1\n')
    .replace(/<h3>(.*?)<\/h3>/g, '\n### $1\n')
    .replace(/<pre>(.*?)<\/pre>/g, (_, body) => `\n    ${body.replace(/&#10;/g, '\n    ')}\n`)
    .replace(/<tr>/g, '')
    .replace(/<\/tr>/g, '\n')
    .replace(/<\/t[hd]>/g, ' | ')
    .replace(/<t[hd][^>]*>/g, '')
    .replace(/<a href="([^"]*)">(.*?)<\/a>/g, '$2 ($1)')
    .replace(/<\/?(table|code|p|pre)>/g, '')
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
