import { Tessera, TesseraError, type TesseraClient, type TesseraEvents } from '../../src/sdk/js/src/index'

/**
 * The page script of sdk-browser.test.ts, bundled with Bun.build when the test runs: @tessera/js in browser mode,
 * one instance per tab, with what it emitted kept for the test to read. TesseraErrors become plain objects so that
 * their status, code and meta survive page.evaluate.
 */
export interface SdkPage {
  tessera: TesseraClient
  events: { event: keyof TesseraEvents; sessionId?: string | null; code?: string }[]
  start(issuer: string): Promise<void>
  /** Runs `action` and answers its result, or the TesseraError it threw as `{ error: { status, code, meta } }`. */
  attempt<T>(action: () => Promise<T>): Promise<T | { error: { status: number; code: string; meta: object } }>
}

const page: SdkPage = {
  tessera: null as unknown as TesseraClient,
  events: [],
  async start(issuer) {
    const tessera = new Tessera({ issuer, mode: 'browser' })
    tessera.on('token', ({ sessionId }) => page.events.push({ event: 'token', sessionId }))
    tessera.on('signed_out', ({ sessionId }) => page.events.push({ event: 'signed_out', sessionId }))
    tessera.on('error', ({ code }) => page.events.push({ event: 'error', code }))
    page.tessera = tessera
    await tessera.load()
  },
  async attempt(action) {
    try {
      return await action()
    } catch (err) {
      if (!(err instanceof TesseraError)) throw err
      return { error: { status: err.status, code: err.code, meta: err.meta } }
    }
  },
}

Object.assign(globalThis, { sdkPage: page })
