/** Polls until `check` returns a truthy value (or throws the last failure after `timeoutMs`). */
export async function waitFor<T>(check: () => Promise<T> | T, timeoutMs = 3000, everyMs = 10): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs
  let last: unknown
  while (performance.now() < deadline) {
    try {
      const value = await check()
      if (value) return value as NonNullable<T>
    } catch (err) {
      last = err
    }
    await new Promise((r) => setTimeout(r, everyMs))
  }
  throw last ?? new Error(`condition not met within ${timeoutMs} ms`)
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
