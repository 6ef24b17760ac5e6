/** Shapes shared by the bench modules. */
import type { LoadResult } from './window.ts'

export type { LoadResult }

/** One HTTP request, replayed in a loop by bench/load.ts. */
export interface RequestSpec {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /**
   * Chain mode, for tokens that rotate on use (refresh tokens): connection i starts with
   * initial[i % n] in `body[field]` and after every 2xx answer sends the answer's `field`
   * next. runLoad writes the last value of each chain back into `initial`, so a later run
   * (the next round) continues the chains instead of replaying spent tokens.
   */
  chain?: { field: string; initial: string[] }
  /** The same request at other nodes (`--nodes`): the connections take `url` and these in turn. */
  also?: string[]
}

export interface LoadOptions {
  connections: number
  duration: number
  warmup: number
}

/** The Tessera process under test, as the scenarios see it. */
export interface ServerInfo {
  baseUrl: string
  port: number
  platformKey: string
}

/**
 * What the server's figures are compared with: the bare Bun baseline (same request, trivial
 * handler), or a micro-benchmark of the one expensive step a route cannot avoid, run by
 * bench/micro.ts in a process of the same Bun binary (JWT signing per algorithm, argon2id).
 */
export type MicroOp = 'sign_RS256' | 'sign_EdDSA' | 'argon2id'
export type ReferenceName = 'baseline' | MicroOp

export interface Target {
  /** Minimum server rps / reference rps. */
  ratio: number
  /** Maximum server p99 latency, if the scenario cares about it. */
  p99_ms?: number
}

export interface Scenario {
  name: string
  /**
   * Does any per-run preparation over HTTP and returns the request to hammer; `load` tells
   * it e.g. how many connections will need their own token chain.
   */
  setup(server: ServerInfo, load: LoadOptions): Promise<RequestSpec>
  target: Target
  against: ReferenceName
  /**
   * Seconds; raises --duration for this scenario (server and reference alike). For slow
   * requests where 64 connections complete in waves seconds apart, a short window may
   * catch no wave at all.
   */
  minDuration?: number
  /**
   * Seconds of warm-up at least, before each load run and its reference's: a path this slow
   * sees few requests in one second, and the JIT is still compiling it for several more.
   */
  minWarmup?: number
}

export interface ReferenceContext {
  scenario: Scenario
  /** The request the server was loaded with; a reference may adapt it to itself. */
  spec: RequestSpec
  load: LoadOptions
}

/** Measures the reference for one scenario. */
export type Reference = (ctx: ReferenceContext) => Promise<LoadResult>
