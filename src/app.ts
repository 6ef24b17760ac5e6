import { Elysia, type AnyElysia } from 'elysia'
import type { Deps } from './deps'
import { deliveryRoutes } from './features/delivery/routes'
import { templateRoutes } from './features/templates/routes'
import { wellKnownRoutes } from './features/keys/routes'
import { settingsRoutes, tenantRoutes } from './features/tenants/routes'
import { userRoutes } from './features/accounts/routes'
import { clientRoutes } from './features/client/routes'
import { fapiPreflight } from './features/sessions/fapi-guard'
import { backendSessionRoutes, clientSessionRoutes } from './features/sessions/routes'
import { backendSignInRoutes, clientSignInRoutes } from './features/sign-in/routes'
import { backendSignUpRoutes, clientSignUpRoutes } from './features/sign-up/routes'
import { verificationRoutes } from './features/verification/routes'
import { hostedFormPaths, hostedRoutes } from './features/hosted/routes'
import { consoleRoutes } from './features/console/routes'
import { docsRoutes } from './platform/http/docs'
import { openApiRoutes } from './platform/http/openapi'
import { httpPlatform } from './platform/http/platform'
import { serviceRoutes } from './platform/http/service-routes'
import { meRoutes } from './features/me/routes'
import { backendMfaRoutes, meMfaRoutes, reverifyRoutes } from './features/mfa/routes'
import { passkeyRoutes } from './features/passkeys/routes'
import { webhookRoutes } from './features/webhooks/routes'
import { auditRoutes } from './features/audit/routes'
import { apiKeyRoutes } from './features/api-keys/routes'
import { clientJwtTemplateRoutes, jwtTemplateRoutes } from './features/jwt-templates/routes'
import { permissionRoutes, roleRoutes } from './features/roles/routes'
import { organizationRoutes } from './features/organizations/routes'
import { oauthProtocolErrors } from './features/oidc/errors'
import { oauthApplicationRoutes, oidcProtocolRoutes } from './features/oidc/routes'
import { scimProtocolErrors } from './features/scim/errors'
import { scimRoutes } from './features/scim/routes'
import { ssoRoutes } from './features/sso/routes'
import { externalAccountRoutes } from './features/external-accounts/routes'
import { oauthProviderRoutes } from './features/oauth-providers/routes'
import { enterpriseConnectionRoutes } from './features/enterprise-connections/routes'
import { samlIdpProtocolRoutes, samlServiceProviderRoutes } from './features/saml-idp/routes'
import { licenseKeyRoutes, productRoutes, publicLicenseRoutes } from './features/licenses/routes'
import { analyticsRoutes } from './features/analytics/routes'
import { billingRoutes, stripeWebhookRoutes } from './features/billing/routes'
import { operatorRoutes } from './features/operators/routes'
import { actorTokenRoutes } from './features/actor-tokens/routes'
import { customDomainRoutes } from './features/custom-domains/routes'
import { customDomainRouting } from './features/custom-domains/routing'

/**
 * Builds the HTTP app without listening: main.ts listens, tests call app.handle. Typed as AnyElysia:
 * the route-by-route type of the whole app is deeper than TypeScript instantiates, and nobody needs it.
 */
export function createApp(deps: Deps): AnyElysia {
  const app: AnyElysia = new Elysia({ normalize: false })
    // First: a request at a tenant's custom domain is handled again under `/t/{tenant}` (API.md §1).
    .use(customDomainRouting(deps, () => app))
    // The email link's page and the hosted pages post HTML forms (API.md §1, §4); the OAuth endpoints take
    // forms by their standards. Every other body is JSON.
    .use(
      httpPlatform(
        deps,
        [
          /^\/t\/[^/]+\/v1\/verify$/,
          // Providers answering with response_mode=form_post (Apple) post their callback (API.md §16).
          /^\/t\/[^/]+\/v1\/oauth-callback\/[a-z0-9_]+$/,
          // An enterprise IdP posts its SAML response to the connection's ACS (API.md §16).
          /^\/t\/[^/]+\/saml\/conn_[0-9A-Z]+\/acs$/,
          ...hostedFormPaths,
          /^\/t\/[^/]+\/oauth\//,
          /^\/t\/[^/]+\/(consent|device|select-account)$/,
          // SAML HTTP-POST binding: a service provider's page posts the AuthnRequest (API.md §16).
          /^\/t\/[^/]+\/saml\/idp\/sso$/,
          // The console's pages post HTML forms (issue #21).
          /^\/console(\/|$)/,
        ],
        [oauthProtocolErrors, scimProtocolErrors],
      ),
    )
    .use(docsRoutes())
    .use(
      openApiRoutes({
        path: '/openapi.json',
        exclude: ['/docs', '/openapi.json'],
        documentation: {
          info: {
            title: 'Tessera',
            description: 'Multi-tenant authentication and identity server. Contract: API.md.',
            version: '0.1.0',
          },
          components: {
            securitySchemes: {
              platformKey: { type: 'http', scheme: 'bearer', description: 'PLATFORM_API_KEY' },
              secretKey: { type: 'http', scheme: 'bearer', description: 'Tenant secret key (sk_live_...)' },
              apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'Service key (tk_live_...)' },
            },
          },
        },
      }),
    )
    .use(serviceRoutes(deps))
    .use(tenantRoutes(deps))
    .use(operatorRoutes(deps))
    .use(settingsRoutes(deps))
    .use(userRoutes(deps))
    .use(deliveryRoutes(deps))
    .use(templateRoutes(deps))
    .use(wellKnownRoutes(deps))
    .use(fapiPreflight(deps))
    .use(clientRoutes(deps))
    .use(clientSessionRoutes(deps))
    .use(clientSignInRoutes(deps))
    .use(clientSignUpRoutes(deps))
    .use(verificationRoutes(deps))
    .use(hostedRoutes(deps))
    .use(consoleRoutes(deps, () => app))
    .use(backendSignInRoutes(deps))
    .use(backendSignUpRoutes(deps))
    .use(backendSessionRoutes(deps))
    .use(meRoutes(deps))
    .use(meMfaRoutes(deps))
    .use(backendMfaRoutes(deps))
    .use(reverifyRoutes(deps))
    .use(passkeyRoutes(deps))
    .use(webhookRoutes(deps))
    .use(auditRoutes(deps))
    .use(apiKeyRoutes(deps))
    .use(jwtTemplateRoutes(deps))
    .use(clientJwtTemplateRoutes(deps))
    .use(permissionRoutes(deps))
    .use(roleRoutes(deps))
    .use(organizationRoutes(deps))
    .use(oidcProtocolRoutes(deps))
    .use(oauthApplicationRoutes(deps))
    .use(scimRoutes(deps))
    .use(ssoRoutes(deps))
    .use(externalAccountRoutes(deps))
    .use(oauthProviderRoutes(deps))
    .use(enterpriseConnectionRoutes(deps))
    .use(samlServiceProviderRoutes(deps))
    .use(samlIdpProtocolRoutes(deps))
    .use(productRoutes(deps))
    .use(licenseKeyRoutes(deps))
    .use(publicLicenseRoutes(deps))
    .use(analyticsRoutes(deps))
    .use(billingRoutes(deps))
    .use(stripeWebhookRoutes(deps))
    .use(customDomainRoutes(deps))
    .use(actorTokenRoutes(deps))
  return app
}
