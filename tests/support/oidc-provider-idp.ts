import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair } from 'jose'
import Provider, { type Adapter, type AdapterPayload, type KoaContextWithOIDC } from 'oidc-provider'
import type { FakeUser } from './fake-idp'

/**
 * A real OpenID Provider for tests: panva's `oidc-provider` on 127.0.0.1, standing in for Google or a
 * customer's enterprise IdP, so the client is tested against a certified implementation's discovery,
 * PKCE, nonce, signed ID tokens and client authentication, not only against our own fake. Clients are
 * registered at run time (a connection's redirect URI is known only once it exists); `authorize()`
 * plays the browser: it follows the provider's redirects with its cookies and finishes the login and
 * consent interaction for the person given, returning the callback's parameters.
 */
export interface OidcProviderIdp {
  issuer: string
  registerClient(client: { clientId: string; clientSecret: string; redirectUris: string[] }): void
  authorize(authorizationUrl: string, person: FakeUser): Promise<Record<string, string>>
  stop(): Promise<void>
}

/** Only clients live outside memory-only models: they come from `registerClient`. */
function memoryAdapter(clients: Map<string, AdapterPayload>) {
  const stores = new Map<string, Map<string, AdapterPayload>>()
  return class MemoryAdapter implements Adapter {
    private readonly store: Map<string, AdapterPayload>
    constructor(private readonly model: string) {
      this.store = stores.get(model) ?? new Map()
      stores.set(model, this.store)
    }
    async upsert(id: string, payload: AdapterPayload) {
      this.store.set(id, payload)
    }
    async find(id: string) {
      return this.model === 'Client' ? clients.get(id) : this.store.get(id)
    }
    async findByUserCode() {
      return undefined
    }
    async findByUid(uid: string) {
      return [...this.store.values()].find((p) => p.uid === uid)
    }
    async consume(id: string) {
      const found = this.store.get(id)
      if (found) found.consumed = Math.floor(Date.now() / 1000)
    }
    async destroy(id: string) {
      this.store.delete(id)
    }
    async revokeByGrantId(grantId: string) {
      for (const [id, p] of this.store) if (p.grantId === grantId) this.store.delete(id)
    }
  }
}

export async function startOidcProvider(): Promise<OidcProviderIdp> {
  const people = new Map<string, FakeUser>()
  const clients = new Map<string, AdapterPayload>()
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const provider = new Provider(issuer, {
    adapter: memoryAdapter(clients),
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'op-1', alg: 'RS256', use: 'sig' }] },
    ttl: { Interaction: 600, Grant: 600, Session: 600, AccessToken: 600, IdToken: 600, AuthorizationCode: 60 },
    clientBasedCORS: () => false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['given_name', 'family_name', 'preferred_username', 'picture'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups', 'offline_access'],
    // Like Google: the profile's claims ride in the ID token too.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    async findAccount(_ctx, sub) {
      const person = people.get(sub)
      return person ? { accountId: sub, claims: () => ({ ...person }) } : undefined
    },
  })
  provider.proxy = false
  const callback = provider.callback()
  // The login page: whoever `authorize()` is signing in, with every scope the client asked for granted.
  server.on('request', async (req, res) => {
    const match = /^\/interaction\/([\w-]+)/.exec(req.url ?? '')
    if (!match) return callback(req, res)
    try {
      const details = await provider.interactionDetails(req, res)
      const accountId = pendingLogin.get(details.uid) ?? String(details.session?.accountId ?? '')
      const grant = new provider.Grant({ accountId, clientId: details.params.client_id as string })
      grant.addOIDCScope(String(details.params.scope))
      const grantId = await grant.save()
      await provider.interactionFinished(
        req,
        res,
        { login: { accountId }, consent: { grantId } },
        {
          mergeWithLastSubmission: false,
        },
      )
    } catch (err) {
      res.statusCode = 500
      res.end(String(err))
    }
  })
  const pendingLogin = new Map<string, string>()

  return {
    issuer,
    registerClient({ clientId, clientSecret, redirectUris }) {
      clients.set(clientId, {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      })
    },
    async authorize(authorizationUrl, person) {
      people.set(person.sub, person)
      const jar = new Map<string, string>()
      let url = authorizationUrl
      for (let hop = 0; hop < 10; hop++) {
        const interaction = /\/interaction\/([\w-]+)/.exec(new URL(url).pathname)?.[1]
        if (interaction) pendingLogin.set(interaction, person.sub)
        const res = await fetch(url, {
          redirect: 'manual',
          headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') },
        })
        for (const line of res.headers.getSetCookie()) {
          const [pair] = line.split(';')
          const eq = pair!.indexOf('=')
          jar.set(pair!.slice(0, eq), pair!.slice(eq + 1))
        }
        const location = res.headers.get('location')
        if (!location) throw new Error(`the provider answered ${res.status}: ${(await res.text()).slice(0, 500)}`)
        const next = new URL(location, url)
        if (next.origin !== issuer) return Object.fromEntries(next.searchParams)
        url = next.toString()
      }
      throw new Error('too many redirects at the provider')
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
