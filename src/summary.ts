/** The job summary: the result first, then what ran, with what, and what it produced. */
import * as core from '@actions/core'
import { log, redact } from './log.js'
import { durationSeconds, Outcome } from './outcome.js'
import { formatBytes, formatDuration } from './format.js'

const HEADLINES: Record<string, string> = {
  success: '✅ Datalore run succeeded',
  failure: '❌ Datalore run failed',
  timed_out: '⏱️ Datalore run timed out',
  cancelled: '⏹️ Waiting for the Datalore run was cancelled',
  submitted: '📨 Datalore run submitted'
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function row(name: string, valueHtml: string): string {
  return `<tr><th align="left">${escapeHtml(name)}</th><td>${valueHtml}</td></tr>`
}

/**
 * Renders the summary as HTML (what GitHub's job summary shows best for tables). Every value
 * that came from a server or an input is escaped.
 */
export function renderSummary(outcome: Outcome): string {
  const parts: string[] = []
  const headline = HEADLINES[outcome.conclusion ?? 'failure'] ?? HEADLINES.failure
  parts.push(`<h2>${headline}</h2>`)
  if (outcome.problem != null) parts.push(`<p>${escapeHtml(outcome.problem)}</p>`)

  const rows: string[] = []
  const notebookName = escapeHtml(outcome.notebookId ?? 'unknown (pass `notebook-id` for a link)')
  rows.push(
    row(
      'Notebook',
      outcome.notebookUrl == null
        ? notebookName
        : `<a href="${escapeHtml(outcome.notebookUrl)}">${notebookName}</a>`
    )
  )
  if (outcome.mode === 'interactive')
    rows.push(row('Mode', 'interactive (no run ID, status or artifacts)'))
  if (outcome.runId != null) rows.push(row('Run ID', `<code>${escapeHtml(outcome.runId)}</code>`))
  if (outcome.status != null && outcome.endTime == null)
    rows.push(row('Last status', escapeHtml(outcome.status)))
  if (outcome.startTime != null) rows.push(row('Started', escapeHtml(outcome.startTime)))
  if (outcome.endTime != null) rows.push(row('Ended', escapeHtml(outcome.endTime)))
  const seconds = durationSeconds(outcome)
  if (seconds != null) rows.push(row('Duration', formatDuration(seconds * 1000)))
  if (outcome.mode === 'run') {
    const updated =
      outcome.reportUpdated == null
        ? ''
        : outcome.reportUpdated
          ? ' (refreshed)'
          : ' (not refreshed)'
    rows.push(row('Update report', escapeHtml(outcome.updateReport) + updated))
  }
  parts.push(`<table>${rows.join('')}</table>`)

  if (outcome.parameters != null && outcome.parameters.length > 0) {
    parts.push('<h3>Parameters</h3>')
    const parameterRows = outcome.parameters.map(
      p =>
        `<tr><td>${escapeHtml(p.name)}</td><td><code>${escapeHtml(
          typeof p.value === 'string' ? p.value : JSON.stringify(p.value)
        )}</code></td></tr>`
    )
    parts.push(`<table><tr><th>Name</th><th>Value</th></tr>${parameterRows.join('')}</table>`)
  }
  if (outcome.artifactsPath != null) parts.push(renderArtifacts(outcome))
  return parts.join('\n')
}

/** Enough rows to be useful; the `artifacts` output has them all. */
const MAX_ARTIFACT_ROWS = 200

function renderArtifacts(outcome: Outcome): string {
  const artifacts = outcome.artifacts ?? []
  const failed = outcome.failedArtifacts ?? []
  const parts = ['<h3>Artifacts</h3>']
  const { uploaded } = outcome
  if (uploaded != null) {
    const name = escapeHtml(outcome.artifactName ?? '')
    const link =
      uploaded.url == null
        ? `<code>${name}</code>`
        : `<a href="${escapeHtml(uploaded.url)}">${name}</a>`
    const digest =
      uploaded.digest == null ? '' : `, digest <code>${escapeHtml(uploaded.digest)}</code>`
    parts.push(
      `<p>Uploaded as the workflow artifact ${link} (${artifacts.length} file(s)${digest}).</p>`
    )
  } else if (artifacts.length > 0) {
    parts.push(
      `<p>Downloaded to <code>${escapeHtml(outcome.artifactsPath ?? '')}</code>; not uploaded.</p>`
    )
  }
  if (artifacts.length === 0 && failed.length === 0) {
    parts.push('<p>The run listed no artifacts.</p>')
    return parts.join('\n')
  }
  const rows = [
    ...failed.map(
      f =>
        `<tr><td>${escapeHtml(f.name)}</td><td></td><td>❌ not downloaded: ${escapeHtml(f.error)}</td></tr>`
    ),
    ...artifacts.map(
      a =>
        `<tr><td>${escapeHtml(a.name)}</td><td align="right">${formatBytes(a.size)}</td><td><code>${a.sha256.slice(0, 12)}</code>${
          a.file === a.name ? '' : ` saved as <code>${escapeHtml(a.file)}</code>`
        }</td></tr>`
    )
  ]
  const shown = rows.slice(0, MAX_ARTIFACT_ROWS)
  parts.push(`<table><tr><th>Name</th><th>Size</th><th>sha256</th></tr>${shown.join('')}</table>`)
  if (rows.length > shown.length) {
    parts.push(
      `<p>... and ${rows.length - shown.length} more: see the step's \`artifacts\` output.</p>`
    )
  }
  return parts.join('\n')
}

export async function writeSummary(html: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    log.debug('No job summary file (GITHUB_STEP_SUMMARY is not set); skipping the summary.')
    return
  }
  try {
    await core.summary.addRaw(redact(html), true).write()
  } catch (error) {
    log.warning(
      `Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`
    )
  }
}
