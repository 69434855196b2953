/**
 * Everything the action prints, outputs or writes to the job summary goes through here, so
 * that the token can never leak through text we did not write ourselves: a server that
 * echoes the token back in an error body or a status string is redacted like anything else.
 * (`core.setSecret` makes the runner mask it too, but only in the runner's own log.)
 */
import * as core from '@actions/core'

const secrets = new Set<string>()

/** Masks a secret for the runner and for everything this module prints from now on. */
export function addSecret(secret: string): void {
  if (secret === '') return
  core.setSecret(secret)
  secrets.add(secret)
}

export function redact(text: string): string {
  let result = text
  for (const secret of secrets) result = result.split(secret).join('***')
  return result
}

export type Annotation = core.AnnotationProperties

export const log = {
  info: (message: string): void => core.info(redact(message)),
  debug: (message: string): void => core.debug(redact(message)),
  warning: (message: string, annotation?: Annotation): void =>
    core.warning(redact(message), annotation),
  error: (message: string, annotation?: Annotation): void =>
    core.error(redact(message), annotation),
  notice: (message: string, annotation?: Annotation): void =>
    core.notice(redact(message), annotation),
  setFailed: (message: string): void => core.setFailed(redact(message)),
  setOutput: (name: string, value: string): void => core.setOutput(name, redact(value))
}
