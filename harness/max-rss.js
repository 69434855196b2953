// @ts-check
/**
 * Loaded with `node --import` before the action: writes the process's peak resident set size
 * (KiB) to $RUNNER_TEMP/max-rss when it exits, so tests and the benchmark can measure memory from
 * outside (./nodes.js: `MAX_RSS_HOOK`, `maxRssKiB`).
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

process.on('exit', () => {
  writeFileSync(
    join(process.env.RUNNER_TEMP ?? '.', 'max-rss'),
    String(process.resourceUsage().maxRSS)
  )
})
