/**
 * Readers of one input each: a whole number, a boolean, one of a few words, a duration. A bad
 * value is refused with a message that names the input and shows a good one.
 */
import { InputError } from '../errors.js'
import { quote } from '../log.js'

/** One input, trimmed; empty when not set (the runner passes `INPUT_<NAME>`). */
export type Input = (name: string) => string

export function readInteger(
  input: Input,
  name: string,
  min: number,
  max: number,
  example: string
): number {
  const text = input(name)
  const value = /^\d+$/.test(text) ? Number(text) : NaN
  if (!(value >= min && value <= max)) {
    throw new InputError(
      name,
      `must be a whole number from ${min} to ${max}, got ${quote(text)}`,
      example
    )
  }
  return value
}

export function readBoolean(input: Input, name: string, fallback: boolean): boolean {
  const text = input(name)
  if (text === '') return fallback
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE)$/.test(text)) return false
  throw new InputError(
    name,
    `must be true or false, got ${quote(text)}`,
    `\`${name}: ${!fallback}\``
  )
}

export function readChoice<T extends string>(
  input: Input,
  name: string,
  choices: readonly T[],
  fallback: T
): T {
  const text = input(name).toLowerCase()
  if (text === '') return fallback
  const choice = choices.find(c => c === text)
  if (choice == null) {
    throw new InputError(
      name,
      `must be one of ${choices.map(c => `"${c}"`).join(', ')}, got ${quote(input(name))}`,
      `\`${name}: ${choices[choices.length - 1]}\``
    )
  }
  return choice
}

/** A decimal number (fractions allowed) of some unit, within bounds, returned in milliseconds. */
export function readDuration(
  input: Input,
  name: string,
  bounds: { fallback: number; unitMs: number; min: number; max: number; example: string }
): number {
  const text = input(name)
  if (text === '') return bounds.fallback * bounds.unitMs
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : NaN
  if (!(value >= bounds.min && value <= bounds.max)) {
    throw new InputError(
      name,
      `must be a number from ${bounds.min} to ${bounds.max}, got ${quote(text)}`,
      bounds.example
    )
  }
  return Math.round(value * bounds.unitMs)
}
