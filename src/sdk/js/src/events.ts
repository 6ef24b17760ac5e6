/** A typed event emitter: `on` returns its own unsubscribe function. */
export class Emitter<Events> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>()

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    this.listeners.set(event, set)
    set.add(listener)
    return () => void set.delete(listener)
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      try {
        ;(listener as (payload: Events[E]) => void)(payload)
      } catch (err) {
        // A failing listener must not break the SDK's own bookkeeping; it is reported, not swallowed.
        queueMicrotask(() => {
          throw err
        })
      }
    }
  }

  clear(): void {
    this.listeners.clear()
  }
}
