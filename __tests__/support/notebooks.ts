/**
 * Executed notebooks made to measure, in the shape Jupyter writes (nbformat 4, a cell's keys in
 * sorted order): what a notebook may hold at the edges (tracebacks full of characters that HTML
 * and shells escape, integers past 2^53) without running a kernel for each.
 */

/** One failing code cell: its source and the error output it ended with. */
export interface FailingCell {
  source: string
  ename?: string
  evalue: string
  traceback: string[]
}

function codeCell(count: number, source: string, outputs: string[]): string {
  return `{"cell_type": "code", "execution_count": ${count}, "metadata": {}, "outputs": [${outputs.join(', ')}], "source": ${JSON.stringify([source])}}`
}

function notebook(cells: string[]): Buffer {
  const metadata =
    '{"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}'
  return Buffer.from(
    `{"cells": [${cells.join(', ')}], "metadata": ${metadata}, "nbformat": 4, "nbformat_minor": 5}`
  )
}

/** A notebook whose cells all failed, one error output each. */
export function failingNotebook(cells: readonly FailingCell[]): Buffer {
  return notebook(
    cells.map((cell, index) =>
      codeCell(index + 1, cell.source, [
        JSON.stringify({
          ename: cell.ename ?? 'ValueError',
          evalue: cell.evalue,
          output_type: 'error',
          traceback: cell.traceback
        })
      ])
    )
  )
}

/**
 * A notebook that glues values with scrapbook's convention, each given as the JSON text the
 * notebook holds (so that a number is written exactly as the test means it).
 */
export function gluingNotebook(values: ReadonlyArray<[name: string, json: string]>): Buffer {
  const outputs = values.map(
    ([name, json]) =>
      `{"data": {"application/scrapbook.scrap.json+json": {"data": ${json}, "encoder": "json", "name": ${JSON.stringify(name)}, "version": 1}}, "metadata": {}, "output_type": "display_data"}`
  )
  return notebook([codeCell(1, 'glue(...)', outputs)])
}
