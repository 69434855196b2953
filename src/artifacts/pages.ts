/**
 * The executed notebooks as pages a reviewer opens in the browser: rendered from the
 * downloaded `.ipynb` after it was read (the page's header shows the failing cell and the
 * glued values), then either uploaded, each as its own non-zipped workflow artifact that
 * GitHub serves as a page (its file removed after), or written next to the downloaded files.
 * A page that cannot be made or uploaded is a warning: the zip has the notebook, and the
 * step's result does not change.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { errorMessage } from '../errors.js'
import type { ArtifactSettings } from '../inputs/config.js'
import { log, quote } from '../log.js'
import type { NotebookFinding } from '../notebook/explain.js'
import type { PageFacts } from '../page/facts.js'
import type { ArtifactNames } from './artifact-names.js'
import type { DownloadedArtifact } from './download.js'
import { safeFileNames } from './file-names.js'
import { inFreshFolder, runnerTemp } from './temporary.js'
import { UploadedArtifact, uploadArtifact, uploadInTurn } from './upload.js'
import type { Slots } from '../slots.js'

export interface NotebookPage {
  /** The executed notebook it shows, by its artifact name. */
  notebook: string
  /** Where the page was written, next to the files (an uploaded page's file is removed). */
  path?: string
  /** With `artifacts: upload`: the page's own workflow artifact. */
  artifact?: UploadedArtifact & { name: string }
}

export interface PageContext {
  /** The downloaded files. */
  dir: string
  settings: ArtifactSettings
  /** The zip's workflow artifact name; the pages' names derive from it. */
  artifactName?: string
  /** The step's artifact names: a page's name gives way to every other. */
  names: ArtifactNames
  /** What every page's header shows of the run. */
  facts: Omit<PageFacts, 'name' | 'reading'>
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  /** Several runs: their uploads share these slots (each upload holds its own buffers). */
  uploads?: Slots
}

/** Makes a page for each notebook that could be read. */
export async function publishPages(
  notebooks: readonly DownloadedArtifact[],
  findings: readonly NotebookFinding[],
  context: PageContext
): Promise<NotebookPage[]> {
  const readable = notebooks.flatMap(notebook => {
    const reading = findings.find(f => f.name === notebook.name)?.reading
    return reading == null ? [] : [{ notebook, reading }]
  })
  if (readable.length === 0) return []
  if (context.settings.mode !== 'upload') return writePages(readable, context.dir, context)
  // An uploaded page is written to a folder of its own in the runner's temporary folder, which
  // goes once the pages are uploaded (or not): only the workflow artifact stays.
  return inFreshFolder(runnerTemp(context.env), `datalore-pages-${context.facts.runId}-`, dir =>
    writePages(readable, dir, context)
  )
}

/** An executed notebook that could be read, with what was read. */
interface Readable {
  notebook: DownloadedArtifact
  reading: NonNullable<NotebookFinding['reading']>
}

/** Writes the pages into `dir`; with `artifacts: upload`, uploads each. */
async function writePages(
  readable: readonly Readable[],
  dir: string,
  context: PageContext
): Promise<NotebookPage[]> {
  // The renderer and its libraries are loaded only when there is a page to make.
  const { renderPage } = await import('../page/render.js')
  const upload = context.settings.mode === 'upload'
  const names = pageNames(
    readable.map(r => r.notebook),
    context,
    upload ? [] : await readdir(dir)
  )
  const pages: NotebookPage[] = []
  for (const [index, { notebook, reading }] of readable.entries()) {
    const file = join(dir, names[index] ?? 'notebook.html')
    const rendered = await renderPage(
      join(context.dir, notebook.file),
      file,
      { ...context.facts, name: notebook.name, reading },
      context.signal
    )
    if ('failed' in rendered) {
      log.warning(
        `Could not write the page of the executed notebook ${quote(notebook.name)}: ${rendered.failed}. The notebook itself is with the other artifacts.`,
        { title: 'Notebook page not written' }
      )
      continue
    }
    if (!upload) {
      log.info(`The executed notebook ${quote(notebook.name)} as a page: ${file}`)
      pages.push({ notebook: notebook.name, path: file })
      continue
    }
    const artifact = await uploadPage(file, dir, context)
    if (artifact != null) pages.push({ notebook: notebook.name, artifact })
  }
  return pages
}

/**
 * `<artifact-name>.html` for the one notebook of a run, `<artifact-name>-<notebook>.html` for
 * each of several, each giving way to the step's other artifact names (`-2` before `.html`);
 * in `artifacts-path`, the notebook's name with `.html`, next to it.
 */
function pageNames(
  notebooks: readonly DownloadedArtifact[],
  context: PageContext,
  existing: string[]
): string[] {
  const stem = (file: string): string => file.replace(/\.ipynb$/i, '')
  if (context.settings.mode !== 'upload') {
    return safeFileNames(
      notebooks.map(n => `${stem(n.file)}.html`),
      existing
    )
  }
  const name = context.artifactName ?? 'notebook'
  const wanted =
    notebooks.length === 1
      ? [`${name}.html`]
      : safeFileNames(notebooks.map(n => `${name}-${stem(n.file)}.html`))
  return wanted.map(page => {
    const claimed = context.names.claimDerived(page)
    if (claimed !== page) {
      log.info(
        `The page ${quote(page)} is uploaded as ${quote(claimed)}: another workflow artifact of this step has that name.`
      )
    }
    return claimed
  })
}

/** A non-zipped artifact, which GitHub serves to the browser as it is. */
async function uploadPage(
  file: string,
  dir: string,
  context: PageContext
): Promise<(UploadedArtifact & { name: string }) | undefined> {
  const name = file.slice(dir.length + 1)
  try {
    const send = (): Promise<UploadedArtifact> =>
      uploadArtifact(
        [file],
        dir,
        {
          name,
          retentionDays: context.settings.retentionDays,
          compressionLevel: context.settings.compressionLevel,
          overwrite: context.settings.overwrite,
          skipArchive: true
        },
        context.env,
        context.signal
      )
    const uploaded = await uploadInTurn(context.uploads, send, context.signal)
    log.info(`Uploaded the executed notebook as the page ${quote(name)} (ID ${uploaded.id})`)
    return { ...uploaded, name }
  } catch (error) {
    if (context.signal?.aborted) throw error
    log.warning(
      `Could not upload the executed notebook as a page (${errorMessage(error)}). The artifact service may take zipped artifacts only (as GitHub Enterprise Server and older services do): the notebook is in the zip artifact; with \`artifacts: download\` the page is written next to the files, to publish as you like.`,
      { title: 'Notebook page not uploaded' }
    )
    return undefined
  }
}
