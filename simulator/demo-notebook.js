// @ts-check
/** The small parameterised notebook that `npm run demo`, `npm run local` and CI's action job run. */

export const DEMO_NOTEBOOK = 'demo-team/sales-forecast'

/** @type {import('./datalore.js').NotebookSpec} */
export const DEMO_NOTEBOOK_SPEC = {
  durationMs: 3000,
  statuses: ['QUEUED', 'STARTING_KERNEL', 'RUNNING'],
  controls: ['Region', 'Months', 'Columns'],
  artifacts: [
    {
      name: 'sales-forecast.ipynb',
      content: JSON.stringify({ cells: [], nbformat: 4, nbformat_minor: 5 })
    },
    { name: 'forecast.csv', content: 'month,revenue\n2026-12,1200\n2027-01,1340\n' },
    { name: 'chart.png', size: 48 * 1024 }
  ]
}

/** Values for its interactive controls, as a workflow would write them. */
export const DEMO_PARAMETERS = 'Region: EU\nMonths: 6\nColumns: [revenue, cost]'
