// @ts-check
/**
 * Runs the real `@actions/artifact` client once, as the action's process would:
 *
 *   node __tests__/support/upload-artifact-child.js '<json spec>'
 *
 * spec: {name, files, rootDirectory, options?, resultFile, method?: 'upload' | 'get' | 'list' |
 * 'download'}; 'download' takes {artifactId, options} (`options.findBy` reads another run's
 * artifact through the REST API at GITHUB_API_URL, as simulator/github-api.js serves it).
 * The environment must carry ACTIONS_RESULTS_URL and ACTIONS_RUNTIME_TOKEN (see
 * simulator/github-results.js `env`). Writes {ok, result | error, maxRssKiB, durationMs} as JSON to
 * `resultFile` and exits 0 on success, 1 on failure. Nothing is mocked.
 */
import { writeFileSync } from 'node:fs'

const spec = JSON.parse(process.argv[2] ?? '{}')
const started = performance.now()
/** @type {Record<string, unknown>} */
let outcome
try {
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const client = new DefaultArtifactClient()
  let result
  if (spec.method === 'get') result = await client.getArtifact(spec.name)
  else if (spec.method === 'list') result = await client.listArtifacts()
  else if (spec.method === 'download')
    result = await client.downloadArtifact(spec.artifactId, spec.options)
  else result = await client.uploadArtifact(spec.name, spec.files, spec.rootDirectory, spec.options)
  outcome = { ok: true, result }
} catch (error) {
  const e = /** @type {Error & {code?: unknown}} */ (error)
  outcome = {
    ok: false,
    error: {
      name: e?.name,
      constructor: e?.constructor?.name,
      message: e?.message ?? String(error),
      code: e?.code,
      stack: e?.stack
    }
  }
}
outcome.durationMs = Math.round(performance.now() - started)
outcome.maxRssKiB = process.resourceUsage().maxRSS
writeFileSync(spec.resultFile, JSON.stringify(outcome, null, 2))
process.exitCode = outcome.ok ? 0 : 1
