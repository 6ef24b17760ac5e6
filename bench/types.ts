/** Shapes shared by the bench modules. */
import type { LoadResult } from './load.ts'

export type { LoadResult }

/** One HTTP request, replayed in a loop by bench/load.ts. */
export interface RequestSpec {
  url: string
  method?: string
  headers?: Record<string, string>
  body?: string
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
 * What the server's figures are compared with. Only the bare Bun baseline exists for now;
 * later scenarios (e.g. sign-in) will add references such as another auth server.
 */
export type ReferenceName = 'baseline'

export interface Target {
  /** Minimum server rps / reference rps. */
  ratio: number
  /** Maximum server p99 latency, if the scenario cares about it. */
  p99_ms?: number
}

export interface Scenario {
  name: string
  /** Does any per-run preparation over HTTP and returns the request to hammer. */
  setup(server: ServerInfo): Promise<RequestSpec>
  target: Target
  against: ReferenceName
}

export interface ReferenceContext {
  scenario: Scenario
  /** The request the server was loaded with; a reference may adapt it to itself. */
  spec: RequestSpec
  load: LoadOptions
}

/** Measures the reference for one scenario. */
export type Reference = (ctx: ReferenceContext) => Promise<LoadResult>
