/** What a piece of the action writes to stdout while `work` runs, as the runner would see it. */
export function captureStdout(work: () => void): string {
  const original = process.stdout.write.bind(process.stdout)
  let written = ''
  process.stdout.write = ((chunk: string | Uint8Array): boolean => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stdout.write
  try {
    work()
  } finally {
    process.stdout.write = original
  }
  return written
}
