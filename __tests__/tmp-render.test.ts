import { it } from '@jest/globals'
import { rmSync } from 'node:fs'
import { renderPage } from '../src/page/render.js'
import { readExecutedNotebook } from '../src/notebook/read.js'
it('renders', async () => {
  for (const n of ['success-values', 'failure-deep', 'failure-middle', 'failure-hostile']) {
    const file = `/work/main/simulator/notebooks/${n}.ipynb`
    const r = await readExecutedNotebook(file)
    rmSync(`/tmp/pages/${n}.html`, { force: true })
    const result = await renderPage(file, `/tmp/pages/${n}.html`, {
      name: `${n}.ipynb`,
      notebookId: 'team/nb',
      notebookUrl: 'https://datalore.example.com/notebook/team/nb',
      runId: 'run-1',
      success: !n.startsWith('failure'),
      startTime: '2026-11-26T06:00:00Z',
      endTime: '2026-11-26T06:01:05Z',
      durationSeconds: 65,
      parameters: [{ name: 'Region', value: 'EU' }],
      reading: 'reading' in r ? r.reading : undefined
    })
    console.log(n, JSON.stringify(result))
  }
})
