/** The inputs' names, as action.yml declares them: in one place, for the readers and the docs test. */
export const Inputs = {
  NotebookId: 'notebook-id',
  Token: 'token',
  Host: 'host',
  Parameters: 'parameters',
  UpdateReport: 'update-report',
  DirectFileStorageWrite: 'direct-file-storage-write',
  Mode: 'mode',
  Wait: 'wait',
  RunId: 'run-id',
  TimeoutMinutes: 'timeout-minutes',
  PollIntervalSeconds: 'poll-interval-seconds',
  FailOnRunFailure: 'fail-on-run-failure',
  AllowInsecureHttp: 'allow-insecure-http',
  Artifacts: 'artifacts',
  ArtifactsPath: 'artifacts-path',
  ArtifactName: 'artifact-name',
  RetentionDays: 'retention-days',
  CompressionLevel: 'compression-level',
  IfNoArtifacts: 'if-no-artifacts',
  Overwrite: 'overwrite',
  ReadNotebook: 'read-notebook'
} as const
