// @ts-check
/**
 * The faults a test scripts into a simulated server, and which request each one meets: the first
 * fault still left whose `on` names the request's kind (or is 'any') and whose `when`, if given,
 * accepts the request. A fault applies to `times` requests (default 1), then is spent.
 */

/**
 * @template R  the server's record of a request
 * @typedef {object} ScriptedFault
 * @property {string} on  the kind of request it applies to, or 'any'
 * @property {number} [times]  how many matching requests it applies to (default 1)
 * @property {(request: R) => boolean} [when]  further narrows the requests
 */

/**
 * @template R
 * @template {ScriptedFault<R>} F
 */
export class FaultQueue {
  /** @param {(request: R) => string} kindOf  the kind of a request, as faults name it in `on` */
  constructor(kindOf) {
    this.kindOf = kindOf
    /** @type {{fault: F, left: number}[]} */
    this.pending = []
  }

  /** @param {F} fault */
  add(fault) {
    this.pending.push({ fault, left: fault.times ?? 1 })
  }

  /**
   * The fault this request meets, if any; it counts as one of the fault's `times`.
   * @param {R} request
   * @returns {F | undefined}
   */
  take(request) {
    const kind = this.kindOf(request)
    const entry = this.pending.find(
      ({ fault, left }) =>
        left > 0 &&
        (fault.on === 'any' || fault.on === kind) &&
        (fault.when == null || fault.when(request))
    )
    if (entry) entry.left--
    return entry?.fault
  }

  /** Forgets every fault, spent or not (between tests that share a server). */
  clear() {
    this.pending.length = 0
  }
}
