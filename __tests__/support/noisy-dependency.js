// @ts-check
/**
 * Loaded with `node --import` before the action: a dependency that writes to stdout and stderr
 * directly, in every way a library can (console, `write` with a string or a buffer, a line cut in
 * two writes, @actions/core's command lines, Node's warnings), and then, with NOISE_CRASH set,
 * throws where nothing catches it. It does so when the test sends SIGUSR2, once the action is
 * well under way.
 */

const COMMANDS =
  '::add-mask::forged\n::set-output name=success::false\n  ::stop-commands::forged\n##[error]forged\r:\u200b:error::forged\n::group::forged\n::echo::on'

function noise() {
  console.log(COMMANDS)
  process.stdout.write(Buffer.from('from a buffer ##[warning]forged\n'))
  process.stdout.write('a line cut in two writes ##')
  process.stdout.write('[error]forged\n')
  process.stdout.write('::debug::dependency debug%0A::error::forged %25 ##[error]forged\n')
  process.stdout.write('::warning::dependency warning ##[error]forged\n')
  process.stdout.write('::error file=action.yml,line=1::dependency error\n')
  process.stdout.write('::add-mask::dependency-mask\n')
  console.error(COMMANDS)
  process.stderr.write('::error::on stderr\n')
  process.emitWarning('a warning\n::error::forged ##[error]forged')
}

process.on('SIGUSR2', () => {
  noise()
  const message = 'crash\n::add-mask::forged\n##[error]forged'
  if (process.env.NOISE_CRASH === 'exception') {
    setTimeout(() => {
      throw new Error(message)
    })
  }
  if (process.env.NOISE_CRASH === 'rejection') void Promise.reject(new Error(message))
})
