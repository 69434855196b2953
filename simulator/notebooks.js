// @ts-check
/**
 * Executed notebooks for the simulator's runs: real ones, executed by a Jupyter kernel
 * (scripts/notebook-fixtures.js), served as a run's `.ipynb` artifact the way Datalore lists
 * the executed notebook. Plain JavaScript without dependencies, for the demo before `npm ci`.
 */
import { readFileSync } from 'node:fs'

/**
 * @typedef {'success-values' | 'failure-deep' | 'failure-middle' | 'failure-hostile' | 'hostile-outputs'} NotebookFixture
 */

/**
 * The bytes of an executed notebook.
 * @param {NotebookFixture} fixture
 */
export function executedNotebook(fixture) {
  return readFileSync(new URL(`./notebooks/${fixture}.ipynb`, import.meta.url))
}

/**
 * An artifact spec that serves it under `name`.
 * @param {NotebookFixture} fixture
 * @param {string} [name]
 * @returns {import('./datalore.js').ArtifactSpec}
 */
export function notebookArtifact(fixture, name = 'analysis.ipynb') {
  return { name, content: executedNotebook(fixture), contentType: 'application/x-ipynb+json' }
}
