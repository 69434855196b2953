// @ts-check
/**
 * The demo's notebooks, which `npm run demo`, `npm run local` and CI's action job run: a
 * parameterised forecast that succeeds and glues what it computed, and data-quality checks
 * that fail deep in a function call. Their executed notebooks are real (simulator/notebooks/).
 */
import { executedNotebook, notebookArtifact } from './notebooks.js'

export const DEMO_NOTEBOOK = 'demo-team/sales-forecast'

/** @type {import('./datalore.js').NotebookSpec} */
export const DEMO_NOTEBOOK_SPEC = {
  durationMs: 3000,
  statuses: ['QUEUED', 'STARTING_KERNEL', 'RUNNING'],
  controls: ['Region', 'Months', 'Columns'],
  artifacts: [
    notebookArtifact('success-values', 'sales-forecast.ipynb'),
    { name: 'forecast.csv', content: 'month,revenue\n2026-12,1200\n2027-01,1340\n' },
    { name: 'chart.png', size: 48 * 1024 }
  ]
}

/** Values for its interactive controls, as a workflow would write them. */
export const DEMO_PARAMETERS = 'Region: EU\nMonths: 6\nColumns: [revenue, cost]'

/**
 * The forecast whose accuracy depends on how far it looks ahead: with `Months` above 6 its model
 * is less sure, and the last glued `accuracy` drops from 0.93 to 0.87, which a pull request that
 * changes the parameter shows against main (`npm run demo`). No kernel runs here: the executed
 * notebook for more months is the real one with that glued number as such a run computes it.
 * @type {import('./datalore.js').NotebookSpec}
 */
export const DEMO_FORECAST_SPEC = {
  ...DEMO_NOTEBOOK_SPEC,
  durationMs: 1000,
  artifactsFor: parameters => {
    const months = Number(parameters.find(p => p.name === 'Months')?.value ?? 6)
    const [notebook, ...others] = DEMO_NOTEBOOK_SPEC.artifacts ?? []
    if (!(months > 6) || notebook == null) return DEMO_NOTEBOOK_SPEC.artifacts ?? []
    return [{ ...notebook, content: withAccuracy(0.87) }, ...others]
  }
}

/**
 * The success-values notebook, its last glue of `accuracy` set to `accuracy`.
 * @param {number} accuracy
 */
function withAccuracy(accuracy) {
  const notebook = JSON.parse(executedNotebook('success-values').toString('utf8'))
  const glues = notebook.cells.flatMap((/** @type {{outputs?: any[]}} */ cell) =>
    (cell.outputs ?? []).filter(
      output => output.data?.['application/scrapbook.scrap.json+json']?.name === 'accuracy'
    )
  )
  glues[glues.length - 1].data['application/scrapbook.scrap.json+json'].data = accuracy
  // As Jupyter writes a notebook: one space of indent, a line break at the end.
  return Buffer.from(`${JSON.stringify(notebook, null, 1)}\n`)
}

export const DEMO_FAILING_NOTEBOOK = 'demo-team/data-quality-checks'

/** @type {import('./datalore.js').NotebookSpec} */
export const DEMO_FAILING_NOTEBOOK_SPEC = {
  durationMs: 2000,
  success: false,
  statuses: ['QUEUED', 'RUNNING'],
  artifacts: [notebookArtifact('failure-deep', 'data-quality-checks.ipynb')]
}
