// @ts-check
/**
 * The demo's notebooks, which `npm run demo`, `npm run local` and CI's action job run: a
 * parameterised forecast that succeeds and glues what it computed, and data-quality checks
 * that fail deep in a function call. Their executed notebooks are real (simulator/notebooks/).
 */
import { notebookArtifact } from './notebooks.js'

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

export const DEMO_FAILING_NOTEBOOK = 'demo-team/data-quality-checks'

/** @type {import('./datalore.js').NotebookSpec} */
export const DEMO_FAILING_NOTEBOOK_SPEC = {
  durationMs: 2000,
  success: false,
  statuses: ['QUEUED', 'RUNNING'],
  artifacts: [notebookArtifact('failure-deep', 'data-quality-checks.ipynb')]
}
