/**
 * The bundled action run as a step of a workflow run of the fake GitHub API
 * (simulator/github-api.js): the run's environment (its event payload, its results service),
 * its job token as `github-token` unless the test gives another, and the Datalore simulator as
 * the host. Every step is checked for where each token went: the GitHub token only in the
 * Authorization header of requests to GitHub's API, Datalore's only to Datalore, neither in
 * what the step printed or left, in a request to storage, or in a comment on GitHub.
 *
 * Seen red against a comment step that wrote the GitHub token into its marker (the request's
 * body held it), and (as baseline.e2e's own checks were) against a client that sent the
 * Datalore token to GitHub.
 */
import { expect } from '@jest/globals'
import type { DataloreSimulator } from '../../simulator/datalore.js'
import type { GitHubApi } from '../../simulator/github-api.js'
import type { WorkflowRun } from '../../simulator/github-documents.js'
import { ActionResult, leaksOf, runAction } from './action.js'
import type { RecordingProxy } from './recording-proxy.js'

export interface StepServers {
  github: GitHubApi
  sim: DataloreSimulator
  /** The blob storage's proxy, when the step uploads or downloads through one. */
  storage?: RecordingProxy
}

export type StepResult = ActionResult & {
  /** The requests the step made to GitHub's API, in order. */
  asked: GitHubApi['requests']
}

export async function runStep(
  { github, sim, storage }: StepServers,
  run: WorkflowRun,
  inputs: Record<string, string>,
  { token }: { token?: string } = {}
): Promise<StepResult> {
  const { env, token: jobToken } = await github.step(run)
  const githubToken = token ?? jobToken
  const before = {
    sim: sim.requests.length,
    github: github.requests.length,
    storage: storage?.calls.length ?? 0
  }
  const result = await runAction(
    {
      host: sim.url,
      token: sim.token,
      'poll-interval-seconds': '0.2',
      artifacts: 'none',
      'github-token': githubToken,
      ...inputs
    },
    { env }
  )
  expect(leaksOf(result, sim.token, { files: true })).toEqual([])
  expect(leaksOf(result, githubToken, { files: true })).toEqual([])
  const seen = (headers: object): string => JSON.stringify(headers)
  for (const request of sim.requests.slice(before.sim)) {
    expect(`${request.url} ${seen(request.headers)}`).not.toContain(githubToken)
  }
  const asked = github.requests.slice(before.github)
  for (const request of asked) {
    const { authorization, ...headers } = request.headers
    expect(authorization).toBe(`token ${githubToken}`)
    const rest = `${request.path} ${seen(request.query)} ${seen(headers)} ${request.rawBody}`
    expect(rest).not.toContain(githubToken)
    expect(rest).not.toContain(sim.token)
  }
  for (const call of storage?.calls.slice(before.storage) ?? []) {
    expect(`${call.url} ${seen(call.headers)}`).not.toContain(githubToken)
    expect(`${call.url} ${seen(call.headers)}`).not.toContain(sim.token)
  }
  for (const comment of github.comments) {
    expect(comment.body).not.toContain(githubToken)
    expect(comment.body).not.toContain(sim.token)
  }
  return { ...result, asked }
}
