/** Time source. Everything that reads the time takes a Clock so tests can move it. */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** A clock that only moves when told to; used by tests. */
export class FakeClock implements Clock {
  constructor(private current = Date.now()) {}
  now(): number {
    return this.current
  }
  advance(ms: number): void {
    this.current += ms
  }
  set(ms: number): void {
    this.current = ms
  }
}
