/** What a page's header shows of the run, besides the notebook's own cells. */
import type { RunComparison } from '../compare/run.js'
import type { Parameter } from '../datalore/api.js'
import type { NotebookReading } from '../notebook/read.js'

export interface PageFacts {
  /** The notebook's name, as the run listed its executed notebook. */
  name: string
  notebookId?: string
  notebookUrl?: string
  runId: string
  success: boolean
  startTime?: string
  endTime?: string
  durationSeconds?: number
  parameters?: Parameter[]
  /** What reading the notebook found: the failing cells to mark, the glued values to show. */
  reading?: NotebookReading
  /** With a baseline found: the run's values compared with its values. */
  comparison?: RunComparison
}
