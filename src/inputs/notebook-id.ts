import { InputError } from '../errors.js'
import { CLOUD_HOST, parseHost } from './host.js'
import { isSafeSegment } from '../identifiers.js'
import { quote } from '../log.js'

export interface NotebookRef {
  ownerId: string
  notebookId: string
}

/** What the Run API calls `notebookId`: `"<ownerId>/<notebookId>"`. */
export function notebookPath(notebook: NotebookRef): string {
  return `${notebook.ownerId}/${notebook.notebookId}`
}

export function notebookUrl(host: string, notebook: NotebookRef): string {
  return `${host}/notebook/${encodeURIComponent(notebook.ownerId)}/${encodeURIComponent(notebook.notebookId)}`
}

const EXAMPLE = `\`notebook-id: ownerId/notebookId\` (the last two parts of the notebook's URL ${CLOUD_HOST}/notebook/ownerId/notebookId), or the whole URL`
/**
 * Reads `notebook-id`: either `ownerId/notebookId` or the notebook's URL. A URL also names
 * the Datalore host, returned as `host` so the caller can reconcile it with the `host` input.
 */
export function parseNotebookId(
  text: string,
  allowInsecureHttp: boolean
): { notebook: NotebookRef; host?: string } {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const base = parseHost('notebook-id', text, allowInsecureHttp)
    const match = /^(.*)\/notebook\/([^/]+)\/([^/]+)$/.exec(base)
    const owner = match && safeDecode(match[2] ?? '')
    const id = match && safeDecode(match[3] ?? '')
    if (!match || owner == null || id == null || !isSafeSegment(owner) || !isSafeSegment(id)) {
      throw new InputError(
        'notebook-id',
        `is a URL but not a notebook's URL (expected .../notebook/<ownerId>/<notebookId>), got ${quote(text)}`,
        EXAMPLE
      )
    }
    return { notebook: { ownerId: owner, notebookId: id }, host: match[1] ?? '' }
  }
  const parts = text.split('/')
  const [owner, id] = parts
  if (
    parts.length !== 2 ||
    owner == null ||
    id == null ||
    !isSafeSegment(owner) ||
    !isSafeSegment(id)
  ) {
    throw new InputError(
      'notebook-id',
      `must be "ownerId/notebookId" (two parts of letters, digits, ".", "_", "~" or "-"), got ${quote(text)}`,
      EXAMPLE
    )
  }
  return { notebook: { ownerId: owner, notebookId: id } }
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
