/** The test support's model of the runner's command parser, against the runner's own cases. */
import { expect, it } from '@jest/globals'
import { foreignCommands, parseWorkflowCommands } from './support/workflow-commands.js'

it.each([
  ['::warning title=a%2Cb%3A::x%0Ay%25', '::', 'warning', { title: 'a,b:' }, 'x\ny%'],
  ['   ::do-something prop=1::msg', '::', 'do-something', { prop: '1' }, 'msg'],
  ['\t\u00a0::ADD-MASK::x', '::', 'add-mask', {}, 'x'],
  ['>>>   ##[do-something a=1;b=%3B]msg%5D', '##[', 'do-something', { a: '1', b: ';' }, 'msg]'],
  [':\u200b:error::zero-width', '::', 'error', {}, 'zero-width'],
  ['#\u00ad#[error]soft hyphen', '##[', 'error', {}, 'soft hyphen']
])('reads %j as a command', (line, form, name, properties, data) => {
  expect(parseWorkflowCommands(line)).toEqual([
    { form, name, properties, data, line: 1, raw: line }
  ])
})

it('ends lines where .NET does: \\n, \\r\\n and a lone \\r, not U+2028', () => {
  const commands = parseWorkflowCommands('a\r::one::1\r\n::two::2\n::three::3\u2028::four::4')
  expect(commands.map(c => [c.line, c.name])).toEqual([
    [2, 'one'],
    [3, 'two'],
    [4, 'three']
  ])
})

it('reads nothing in plain text', () => {
  expect(parseWorkflowCommands('Run r1: status "::x" ## [y]\n| ::add-mask::z')).toEqual([])
})

it("tells the action's own commands from foreign ones", () => {
  const out = [
    '::add-mask::the-token',
    '::error title=Datalore run failed::boom',
    '::group::Traceback',
    '::endgroup::',
    '::add-mask::RUNNING',
    '::set-output name=conclusion::success',
    '::stop-commands::x',
    '::warning file=a.py::x',
    'text ##[error]legacy'
  ].join('\n')
  expect(foreignCommands(out, ['the-token']).map(c => c.line)).toEqual([5, 6, 7, 8, 9])
})
