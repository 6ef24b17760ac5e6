import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import openapiTS, { astToString } from 'openapi-typescript'
import { testApp, type TestApp } from '../support/app'

/**
 * The SDKs' request types are generated from the server's OpenAPI document and committed. This test regenerates
 * them and fails when the committed files differ, so an SDK cannot drift from the server unnoticed.
 * `npm run sdk:generate` rewrites them (UPDATE_SDK_TYPES=1).
 */
const ROOT = new URL('../../src/sdk/', import.meta.url).pathname

/** Each SDK gets only the surface it calls: the Frontend API relative to `{issuer}/v1`, or the BAPI and platform API. */
const SURFACES = [
  {
    file: `${ROOT}js/src/generated/fapi.ts`,
    pick: (path: string) => (path.startsWith('/t/{tenant}/v1/') ? path.slice('/t/{tenant}/v1'.length) : null),
  },
  {
    file: `${ROOT}backend/src/generated/bapi.ts`,
    pick: (path: string) => (/^\/(v1|platform\/v1)\//.test(path) ? path : null),
  },
]

const HEADER = '// Generated from /openapi.json by `npm run sdk:generate`; do not edit.\n'

interface Operation {
  parameters?: { name?: string }[]
  requestBody?: { content?: Record<string, unknown> }
}

/** Only JSON bodies (the SDKs send nothing else); the tenant is part of the SDK's base URL, not a parameter. */
const forSdk = (op: Operation, tenantInBase: boolean): Operation => ({
  ...op,
  ...(op.parameters && { parameters: op.parameters.filter((p) => !tenantInBase || p.name !== 'tenant') }),
  ...(op.requestBody?.content && {
    requestBody: { ...op.requestBody, content: { 'application/json': op.requestBody.content['application/json'] } },
  }),
})

async function generate(document: { paths: Record<string, Record<string, Operation>> }) {
  const out: string[] = []
  for (const surface of SURFACES) {
    const paths: Record<string, unknown> = {}
    for (const [path, operations] of Object.entries(document.paths)) {
      const picked = surface.pick(path)
      if (picked === null) continue
      paths[picked] = Object.fromEntries(
        Object.entries(operations).map(([method, op]) => [method, forSdk(op, path.startsWith('/t/'))]),
      )
    }
    const ast = await openapiTS({ ...document, paths } as unknown as Parameters<typeof openapiTS>[0], {
      exportType: true,
      alphabetize: true,
    })
    out.push(HEADER + astToString(ast))
  }
  return out
}

describe('SDK types generated from the OpenAPI document', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await testApp()
  })
  afterAll(() => t.close())

  it('are up to date (npm run sdk:generate)', async () => {
    const document = await (await t.request('GET', '/openapi.json')).json()
    const generated = await generate(document)
    for (const [i, surface] of SURFACES.entries()) {
      if (process.env.UPDATE_SDK_TYPES === '1') await Bun.write(surface.file, generated[i]!)
      expect(await Bun.file(surface.file).text()).toBe(generated[i]!)
    }
  })
})
