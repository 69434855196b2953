/** A workflow artifact's name as a workflow gives it: the step's `artifact-name`, or an entry's. */
import { InputError } from '../errors.js'
import { quote } from '../log.js'
import { Inputs } from './names.js'

/** Characters the artifact service refuses in an artifact's name. */
const FORBIDDEN = /[":<>|*?\r\n\\/]/
/**
 * What a name from a workflow that gets printed as it is (by the artifact client, or at the
 * start of a run's lines) must not hold: nothing the runner would run as a command (`##[`, and
 * the invisible characters it skips when matching), no line break.
 */
export const UNPRINTABLE = /##\[|[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]/u
const EXAMPLE = '`artifact-name: sales-report-${{ github.run_id }}`'

export function checkArtifactName(name: string): string {
  if (FORBIDDEN.test(name)) {
    throw new InputError(
      Inputs.ArtifactName,
      `must not contain any of " : < > | * ? \\ / or line breaks (the artifact service refuses them), got ${quote(name)}`,
      EXAMPLE
    )
  }
  if (UNPRINTABLE.test(name)) {
    throw new InputError(
      Inputs.ArtifactName,
      `must not contain "##[" or invisible characters (the log would read them as a workflow command), got ${quote(name)}`,
      EXAMPLE
    )
  }
  return name
}
