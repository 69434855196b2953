/**
 * Executed notebooks written by a test, cell by cell, as Jupyter writes them (nbformat 4): for
 * what the kernel-made fixtures in simulator/notebooks do not hold, such as hostile or huge
 * outputs.
 */

export function notebookOf(cells: unknown[]): string {
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells })
}

export const markdownCell = (source: string) => ({ cell_type: 'markdown', metadata: {}, source })

export const codeCell = (outputs: unknown[], source = 'x = 1') => ({
  cell_type: 'code',
  execution_count: 1,
  metadata: {},
  outputs,
  source
})

export const display = (data: Record<string, unknown>) => ({
  output_type: 'display_data',
  metadata: {},
  data
})

export const error = (traceback: string[], ename = 'ValueError', evalue = 'bad') => ({
  output_type: 'error',
  ename,
  evalue,
  traceback
})
