import { availableParallelism } from 'node:os'
import { AppError } from '../errors'

/**
 * A bounded queue in front of password hashing (API.md §12 "Shared resources"). argon2 costs
 * memory and CPU on every call, and anonymous callers can trigger it (sign-in answers an unknown
 * identifier with a dummy hash), so a burst must not grow memory or latency without bound: at
 * most `running` jobs at once, at most `waiting` queued behind them, none queued for longer than
 * `maxWaitMs`. Anything past that is refused with 503 and `Retry-After`, before any hashing.
 */
export interface HashQueueLimits {
  running: number
  waiting: number
  maxWaitMs: number
}

/** One job per core keeps every core busy without oversubscribing; the wait bounds latency. */
export function defaultHashQueueLimits(): HashQueueLimits {
  const cores = Math.max(1, availableParallelism())
  return { running: cores, waiting: cores * 32, maxWaitMs: 5_000 }
}

const RETRY_AFTER_S = '1'
const busy = () =>
  new AppError('server_busy', { reason: 'password_hashing' }, { headers: { 'Retry-After': RETRY_AFTER_S } })

interface Waiter {
  resolve(): void
  timer: ReturnType<typeof setTimeout>
}

export class HashQueue {
  private active = 0
  private readonly waiters: Waiter[] = []
  /** Jobs refused since start (full queue or too long a wait). */
  refused = 0

  constructor(readonly limits: HashQueueLimits = defaultHashQueueLimits()) {}

  /** Runs `job` once a slot is free; throws AppError `server_busy` when the queue is full or the wait too long. */
  async run<T>(job: () => Promise<T>): Promise<T> {
    await this.acquire()
    try {
      return await job()
    } finally {
      this.release()
    }
  }

  /** Jobs running and waiting, for tests and metrics. */
  get depth(): { running: number; waiting: number } {
    return { running: this.active, waiting: this.waiters.length }
  }

  private acquire(): Promise<void> {
    if (this.active < this.limits.running) {
      this.active++
      return Promise.resolve()
    }
    if (this.waiters.length >= this.limits.waiting) return Promise.reject(this.refuse())
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        timer: setTimeout(() => {
          const at = this.waiters.indexOf(waiter)
          if (at >= 0) this.waiters.splice(at, 1)
          reject(this.refuse())
        }, this.limits.maxWaitMs),
      }
      this.waiters.push(waiter)
    })
  }

  private refuse(): AppError {
    this.refused++
    return busy()
  }

  /** Hands the slot to the next waiter (the count stays), or frees it. */
  private release(): void {
    const next = this.waiters.shift()
    if (!next) {
      this.active--
      return
    }
    clearTimeout(next.timer)
    next.resolve()
  }
}
