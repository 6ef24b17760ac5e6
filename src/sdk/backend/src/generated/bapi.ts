// Generated from /openapi.json by `npm run sdk:generate`; do not edit.
export type paths = {
    "/platform/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List platform audit events (or, with tenant_id, that tenant’s), newest first */
        get: operations["getPlatformV1Audit-events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/v1/audit-events/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Verify the platform audit chain (or, with tenant_id, that tenant’s) */
        get: operations["getPlatformV1Audit-eventsVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/v1/dev/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dev mailbox: messages that would have been sent, newest first (absent when SMTP/SMS is configured) */
        get: operations["getPlatformV1DevMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/v1/operators": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the operators */
        get: operations["getPlatformV1Operators"];
        put?: never;
        /** Add an operator (a console user): made in the platform tenant and mailed where to sign in */
        post: operations["postPlatformV1Operators"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/v1/operators/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an operator */
        get: operations["getPlatformV1OperatorsById"];
        put?: never;
        post?: never;
        /** Remove an operator and their account (never the last super admin) */
        delete: operations["deletePlatformV1OperatorsById"];
        options?: never;
        head?: never;
        /** Change an operator’s role (the last super admin stays one) */
        patch: operations["patchPlatformV1OperatorsById"];
        trace?: never;
    };
    "/platform/v1/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List tenants, newest first */
        get: operations["getPlatformV1Tenants"];
        put?: never;
        /** Create a tenant (returns its secret key once) */
        post: operations["postPlatformV1Tenants"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/v1/tenants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a tenant */
        get: operations["getPlatformV1TenantsById"];
        put?: never;
        post?: never;
        /** Delete a tenant; its keys stop working at once */
        delete: operations["deletePlatformV1TenantsById"];
        options?: never;
        head?: never;
        /** Update a tenant’s name or settings */
        patch: operations["patchPlatformV1TenantsById"];
        trace?: never;
    };
    "/platform/v1/tenants/{id}/keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a signing-key rotation */
        post: operations["postPlatformV1TenantsByIdKeysRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/platform/v1/tenants/{id}/secret-key/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replace the tenant’s secret key (returned once; the old one stops at once) */
        post: operations["postPlatformV1TenantsByIdSecret-keyRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actor-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Actor tokens, newest first (the console’s too) */
        get: operations["getV1Actor-tokens"];
        put?: never;
        /**
         * A single-use ticket to sign in as a user on behalf of `actor`
         * @description Answers `url` (`{issuer}/impersonate?ticket=…`), once: the browser that opens it confirms and is signed in as the user, in a session whose tokens and introspection carry `act: { sub }` (RFC 8693), shown to the user with its `actor`. The session lasts an hour at most, never steps up and never answers an authorization request. `expires_in_seconds` (60..86400, default 3600) bounds the wait.
         */
        post: operations["postV1Actor-tokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/actor-tokens/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a pending actor token (else 422) */
        post: operations["postV1Actor-tokensByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/analytics/{metric}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A time series of sign-ins, sign-ups, active users or MFA adoption
         * @description `from`/`to` in ms (default the last 30 days) snapped to UTC `interval` buckets (hour, day, month); every bucket, zeros too; more than 744 buckets is 422. Rolled up from events within a minute.
         */
        get: operations["getV1AnalyticsByMetric"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List service keys, newest first */
        get: operations["getV1Api-keys"];
        put?: never;
        /** Create a service key with scopes (returns the key once) */
        post: operations["postV1Api-keys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a service key */
        get: operations["getV1Api-keysById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a service key; every node refuses it within 2 s */
        post: operations["postV1Api-keysByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the tenant’s audit events, newest first, with filters */
        get: operations["getV1Audit-events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recompute the tenant’s audit hash chain and report the first broken link */
        get: operations["getV1Audit-eventsVerify"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/billing/stripe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Whether Stripe is configured */
        get: operations["getV1BillingStripe"];
        /** Set the Stripe webhook signing secret (write-only) */
        put: operations["putV1BillingStripe"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/custom-domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant’s custom domain (at most one) */
        get: operations["getV1Custom-domains"];
        put?: never;
        /** Add the tenant’s custom domain: publish the TXT record it returns, then verify */
        post: operations["postV1Custom-domains"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/custom-domains/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get the custom domain */
        get: operations["getV1Custom-domainsById"];
        put?: never;
        post?: never;
        /** Remove the custom domain (the issuer is back under PUBLIC_URL) */
        delete: operations["deleteV1Custom-domainsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/custom-domains/{id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check the TXT record: the domain then serves the tenant’s routes, and the issuer is https://{host} */
        post: operations["postV1Custom-domainsByIdVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deliveries/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The status of an email or SMS request
         * @description Each try counts in `attempts`; failures are retried with backoff (1 s, 10 s, 60 s, 600 s), then the request is `failed` with `last_error`. A permanent refusal (SMTP 5xx, provider 4xx) fails at once. The recipient is masked.
         */
        get: operations["getV1DeliveriesById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delivery/email": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant’s email provider (its own SMTP server, or the installation’s) */
        get: operations["getV1DeliveryEmail"];
        /** Send the tenant’s email through its own SMTP server (the password is write-only) */
        put: operations["putV1DeliveryEmail"];
        post?: never;
        /** Back to the installation’s email provider */
        delete: operations["deleteV1DeliveryEmail"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delivery/email/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a test email now through the provider the tenant’s mail takes */
        post: operations["postV1DeliveryEmailTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/delivery/sms": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant’s SMS provider (its own, or the installation’s) */
        get: operations["getV1DeliverySms"];
        /** Send the tenant’s SMS through its own provider URL (write-only) */
        put: operations["putV1DeliverySms"];
        post?: never;
        /** Back to the installation’s SMS provider */
        delete: operations["deleteV1DeliverySms"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/email-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every email template slug with the template that applies */
        get: operations["getV1Email-templates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/email-templates/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The email template that applies to a slug (and locale) */
        get: operations["getV1Email-templatesBySlug"];
        /**
         * Save the tenant’s email template for a slug and locale
         * @description Placeholders: {{code}} or {{link}} (required by the slug), {{app_name}}, {{expires_in_minutes}}, {{to}}, {{brand_color}}, {{brand_text_color}}; `<!--tessera:logo-->` becomes the branding logo. A body lacking its required variable, or naming one its slug does not have, is refused with 422 form_param_format_invalid (meta.param_name: the field, meta.variable: the name).
         */
        put: operations["putV1Email-templatesBySlug"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/email-templates/{slug}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete the tenant’s email template for that locale; returns the template that applies now */
        post: operations["postV1Email-templatesBySlugRevert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enterprise-connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List enterprise connections, newest first */
        get: operations["getV1Enterprise-connections"];
        put?: never;
        /** Add an enterprise SSO connection (OIDC or SAML); oidc_client_secret and idp_metadata are write-only */
        post: operations["postV1Enterprise-connections"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/enterprise-connections/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an enterprise connection */
        get: operations["getV1Enterprise-connectionsById"];
        put?: never;
        post?: never;
        /** Delete an enterprise connection */
        delete: operations["deleteV1Enterprise-connectionsById"];
        options?: never;
        head?: never;
        /** Update an enterprise connection; the protocol cannot change */
        patch: operations["patchV1Enterprise-connectionsById"];
        trace?: never;
    };
    "/v1/enterprise-connections/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test a connection: OIDC discovery and JWKS; SAML metadata, certificates, SSO URL */
        post: operations["postV1Enterprise-connectionsByIdTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jwt-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List JWT templates, newest first */
        get: operations["getV1Jwt-templates"];
        put?: never;
        /** Create a JWT template */
        post: operations["postV1Jwt-templates"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jwt-templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a JWT template */
        get: operations["getV1Jwt-templatesById"];
        put?: never;
        post?: never;
        /** Delete a JWT template */
        delete: operations["deleteV1Jwt-templatesById"];
        options?: never;
        head?: never;
        /** Update a JWT template; signing_key null goes back to the tenant key */
        patch: operations["patchV1Jwt-templatesById"];
        trace?: never;
    };
    "/v1/license-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List license keys, newest first (filters: product, user or organization, status) */
        get: operations["getV1License-keys"];
        put?: never;
        /** Issue a license key (the key is in this response only) */
        post: operations["postV1License-keys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/license-keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a license key */
        get: operations["getV1License-keysById"];
        put?: never;
        post?: never;
        /** Delete a license key and its activations */
        delete: operations["deleteV1License-keysById"];
        options?: never;
        head?: never;
        /** Update a license key */
        patch: operations["patchV1License-keysById"];
        trace?: never;
    };
    "/v1/license-keys/{id}/activations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the devices that activated a license key */
        get: operations["getV1License-keysByIdActivations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/license-keys/{id}/activations/{act}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Deactivate a device, freeing its slot */
        delete: operations["deleteV1License-keysByIdActivationsByAct"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/license-keys/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a license key: validation says revoked, no device activates it */
        post: operations["postV1License-keysByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/license-keys/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate a license key (as the public validate route, without its rate limits) */
        post: operations["postV1License-keysVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth-applications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List OAuth applications, newest first */
        get: operations["getV1Oauth-applications"];
        put?: never;
        /** Create an OAuth application (client_secret in this answer only) */
        post: operations["postV1Oauth-applications"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth-applications/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an OAuth application */
        get: operations["getV1Oauth-applicationsById"];
        put?: never;
        post?: never;
        /** Delete an OAuth application, its grants and its tokens */
        delete: operations["deleteV1Oauth-applicationsById"];
        options?: never;
        head?: never;
        /** Update an OAuth application (`public` cannot change) */
        patch: operations["patchV1Oauth-applicationsById"];
        trace?: never;
    };
    "/v1/oauth-applications/{id}/authorization-grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an application's authorization grants */
        get: operations["getV1Oauth-applicationsByIdAuthorization-grants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth-applications/{id}/authorization-grants/{gid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a grant and every token it issued */
        delete: operations["deleteV1Oauth-applicationsByIdAuthorization-grantsByGid"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth-applications/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** New client secret (once); the old one is refused at once */
        post: operations["postV1Oauth-applicationsByIdRotate-secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List social login providers, newest first */
        get: operations["getV1Oauth-providers"];
        put?: never;
        /** Add a social login provider (the client secret is write-only) */
        post: operations["postV1Oauth-providers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/oauth-providers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a social login provider */
        get: operations["getV1Oauth-providersById"];
        put?: never;
        post?: never;
        /** Delete a social login provider */
        delete: operations["deleteV1Oauth-providersById"];
        options?: never;
        head?: never;
        /** Update a social login provider; provider and key cannot change */
        patch: operations["patchV1Oauth-providersById"];
        trace?: never;
    };
    "/v1/oauth-providers/{id}/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Test a provider’s configuration: discovery, issuer, endpoints, credentials */
        post: operations["postV1Oauth-providersByIdTest"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List organizations, newest first (`query`: name, slug or id; `user_id`: member) */
        get: operations["getV1Organizations"];
        put?: never;
        /** Create an organization; `created_by` joins it as the creator role */
        post: operations["postV1Organizations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an organization by id or slug */
        get: operations["getV1OrganizationsById"];
        put?: never;
        post?: never;
        /** Delete an organization and its memberships */
        delete: operations["deleteV1OrganizationsById"];
        options?: never;
        head?: never;
        /** Update an organization; each metadata object given replaces the stored one */
        patch: operations["patchV1OrganizationsById"];
        trace?: never;
    };
    "/v1/organizations/{id}/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List an organization’s domains, newest first */
        get: operations["getV1OrganizationsByIdDomains"];
        put?: never;
        /** Claim a domain; `verified: true` declares it verified (strategy admin) */
        post: operations["postV1OrganizationsByIdDomains"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/domains/{domain_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a domain */
        get: operations["getV1OrganizationsByIdDomainsByDomain_id"];
        put?: never;
        post?: never;
        /** Delete a domain and its suggestions */
        delete: operations["deleteV1OrganizationsByIdDomainsByDomain_id"];
        options?: never;
        head?: never;
        /** Change a domain’s enrollment mode, name (unverifies it) or verification */
        patch: operations["patchV1OrganizationsByIdDomainsByDomain_id"];
        trace?: never;
    };
    "/v1/organizations/{id}/domains/{domain_id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a verification code to an address at the domain */
        post: operations["postV1OrganizationsByIdDomainsByDomain_idChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/domains/{domain_id}/challenges/{challenge_id}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a domain’s email code: the domain is verified */
        post: operations["postV1OrganizationsByIdDomainsByDomain_idChallengesByChallenge_idAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/domains/{domain_id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify a domain by its TXT record `_tessera-verification.<name>` */
        post: operations["postV1OrganizationsByIdDomainsByDomain_idVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List invitations, newest first (`status`) */
        get: operations["getV1OrganizationsByIdInvitations"];
        put?: never;
        /** Invite an address with a role; the answer alone carries the ticket `url` */
        post: operations["postV1OrganizationsByIdInvitations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/invitations/{iid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an invitation */
        get: operations["getV1OrganizationsByIdInvitationsByIid"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/invitations/{iid}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a pending invitation */
        post: operations["postV1OrganizationsByIdInvitationsByIidRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/invitations/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Invite up to 100 addresses, all or none (a refused row is named by `meta.index`) */
        post: operations["postV1OrganizationsByIdInvitationsBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/membership-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List membership requests, newest first (`status` filters) */
        get: operations["getV1OrganizationsByIdMembership-requests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/membership-requests/{request_id}/{decision}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept (joins with the default role) or reject a membership request */
        post: operations["postV1OrganizationsByIdMembership-requestsByRequest_idByDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/memberships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List memberships, newest first (`role`, `query`: name or address) */
        get: operations["getV1OrganizationsByIdMemberships"];
        put?: never;
        /** Add a member with a role */
        post: operations["postV1OrganizationsByIdMemberships"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/memberships/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member (not the last owner) */
        delete: operations["deleteV1OrganizationsByIdMembershipsByUser_id"];
        options?: never;
        head?: never;
        /** Change a member’s role or metadata (the last owner stays) */
        patch: operations["patchV1OrganizationsByIdMembershipsByUser_id"];
        trace?: never;
    };
    "/v1/organizations/{id}/scim/attribute-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** SCIM attribute and group → role mappings (defaults when never set) */
        get: operations["getV1OrganizationsByIdScimAttribute-mappings"];
        /**
         * Replace the mappings (`{}` → defaults); members’ roles are recomputed
         * @description Targets: email_address, first_name, last_name, username, phone_number, external_id, public_metadata.<key>, private_metadata.<key>; null drops a default. `active` cannot be mapped.
         */
        put: operations["putV1OrganizationsByIdScimAttribute-mappings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/scim/endpoint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The SCIM base URL and usage of the organization */
        get: operations["getV1OrganizationsByIdScimEndpoint"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/scim/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the organization’s SCIM tokens, newest first */
        get: operations["getV1OrganizationsByIdScimTokens"];
        put?: never;
        /** Create a SCIM token for the organization (`token` is in this answer only) */
        post: operations["postV1OrganizationsByIdScimTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/scim/tokens/{token_id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a SCIM token: its next request answers 401, on every node */
        post: operations["postV1OrganizationsByIdScimTokensByToken_idRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/organizations/{id}/subscription": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The organization’s subscription (none: 404) */
        get: operations["getV1OrganizationsByIdSubscription"];
        /** Set the organization’s subscription by hand (provider manual) */
        put: operations["putV1OrganizationsByIdSubscription"];
        post?: never;
        /** Remove the organization’s subscription */
        delete: operations["deleteV1OrganizationsByIdSubscription"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List permissions, system ones included, newest first */
        get: operations["getV1Permissions"];
        put?: never;
        /** Create a permission (`org:<feature>:<action>`) */
        post: operations["postV1Permissions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/permissions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a permission */
        get: operations["getV1PermissionsById"];
        put?: never;
        post?: never;
        /** Delete a custom permission; roles that had it lose it */
        delete: operations["deleteV1PermissionsById"];
        options?: never;
        head?: never;
        /** Rename or describe a custom permission */
        patch: operations["patchV1PermissionsById"];
        trace?: never;
    };
    "/v1/plans": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List plans, newest first */
        get: operations["getV1Plans"];
        put?: never;
        /** Create a plan */
        post: operations["postV1Plans"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/plans/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a plan */
        get: operations["getV1PlansById"];
        put?: never;
        post?: never;
        /** Delete a plan no organization subscribes to (else 409 resource_in_use) */
        delete: operations["deleteV1PlansById"];
        options?: never;
        head?: never;
        /** Update a plan (a new key reaches its subscribers’ next tokens) */
        patch: operations["patchV1PlansById"];
        trace?: never;
    };
    "/v1/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List products, newest first */
        get: operations["getV1Products"];
        put?: never;
        /** Create a product */
        post: operations["postV1Products"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/products/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a product */
        get: operations["getV1ProductsById"];
        put?: never;
        post?: never;
        /** Delete a product without keys (else 409 resource_in_use) */
        delete: operations["deleteV1ProductsById"];
        options?: never;
        head?: never;
        /** Update a product */
        patch: operations["patchV1ProductsById"];
        trace?: never;
    };
    "/v1/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List roles, newest first, optionally of one scope */
        get: operations["getV1Roles"];
        put?: never;
        /** Create a role */
        post: operations["postV1Roles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/roles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a role */
        get: operations["getV1RolesById"];
        put?: never;
        post?: never;
        /** Delete a custom role that nobody holds */
        delete: operations["deleteV1RolesById"];
        options?: never;
        head?: never;
        /** Update a role; a system role keeps its key and level */
        patch: operations["patchV1RolesById"];
        trace?: never;
    };
    "/v1/roles/{id}/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace an organization role’s permissions */
        put: operations["putV1RolesByIdPermissions"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/saml-service-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List SAML service providers, newest first */
        get: operations["getV1Saml-service-providers"];
        put?: never;
        /** Register a SAML service provider that users sign in to with this tenant */
        post: operations["postV1Saml-service-providers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/saml-service-providers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a SAML service provider */
        get: operations["getV1Saml-service-providersById"];
        put?: never;
        post?: never;
        /** Delete a SAML service provider */
        delete: operations["deleteV1Saml-service-providersById"];
        options?: never;
        head?: never;
        /** Update a SAML service provider */
        patch: operations["patchV1Saml-service-providersById"];
        trace?: never;
    };
    "/v1/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List sessions, newest first */
        get: operations["getV1Sessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a session */
        get: operations["getV1SessionsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a session (introspection answers active:false at once) */
        post: operations["postV1SessionsByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sessions/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate a refresh token: new session token and refresh token */
        post: operations["postV1SessionsRefresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read the tenant’s settings */
        get: operations["getV1Settings"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the tenant’s settings (deep merge) */
        patch: operations["patchV1Settings"];
        trace?: never;
    };
    "/v1/sign-ins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a server-driven sign-in */
        post: operations["postV1Sign-ins"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ins/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a server-driven sign-in */
        get: operations["getV1Sign-insById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Identify a server-driven sign-in */
        patch: operations["patchV1Sign-insById"];
        trace?: never;
    };
    "/v1/sign-ins/{id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a challenge */
        post: operations["postV1Sign-insByIdChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ins/{id}/challenges/{cid}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a challenge */
        post: operations["postV1Sign-insByIdChallengesByCidAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ins/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password after a verified reset code (server-driven)
         * @description Password reset (API.md §4): after a verified `reset_password_email_code` / `reset_password_phone_code` challenge the attempt is `needs_new_password`; the password policy applies (422 as at sign-up), the new password replaces the old at once (and lifts a lockout by wrong passwords), `sign_out_of_other_sessions` revokes the user’s sessions, and the attempt is `complete` or `needs_second_factor` when the user has MFA. Audit `user.password_reset`.
         */
        post: operations["postV1Sign-insByIdReset-password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ins/{id}/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enrol TOTP inside a server-driven attempt
         * @description Only while the attempt is `needs_second_factor_enrollment` (else 422 `strategy_not_allowed`). `POST …/totp` → 201 `{ object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }` (a new secret replaces an unconfirmed one); `POST …/totp/verify { code }` activates it and completes the attempt: the SignIn (status `complete`, with its session) plus `backup_codes`, 10 one-time codes shown only in this answer. A wrong code is 422 `form_code_incorrect` with `meta.attempts_remaining` (it counts toward the account lockout); amr is [first factor, "totp"].
         */
        post: operations["postV1Sign-insByIdTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ins/{id}/totp/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm the TOTP enrolment of a server-driven attempt
         * @description Only while the attempt is `needs_second_factor_enrollment` (else 422 `strategy_not_allowed`). `POST …/totp` → 201 `{ object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }` (a new secret replaces an unconfirmed one); `POST …/totp/verify { code }` activates it and completes the attempt: the SignIn (status `complete`, with its session) plus `backup_codes`, 10 one-time codes shown only in this answer. A wrong code is 422 `form_code_incorrect` with `meta.attempts_remaining` (it counts toward the account lockout); amr is [first factor, "totp"].
         */
        post: operations["postV1Sign-insByIdTotpVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a server-driven sign-up
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled"). Identifiers already used by a live user: 409 form_identifier_exists (meta.param_name). When every required field is present and verified, the user and a session are created and the response carries `session` and its tokens.
         */
        post: operations["postV1Sign-ups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a server-driven sign-up */
        get: operations["getV1Sign-upsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set or change server-driven sign-up fields
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled"). Identifiers already used by a live user: 409 form_identifier_exists (meta.param_name). When every required field is present and verified, the user and a session are created and the response carries `session` and its tokens.
         */
        patch: operations["patchV1Sign-upsById"];
        trace?: never;
    };
    "/v1/sign-ups/{id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify the email or phone
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled").
         */
        post: operations["postV1Sign-upsByIdChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sign-ups/{id}/challenges/{cid}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Answer a verification code
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled").
         */
        post: operations["postV1Sign-upsByIdChallengesByCidAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sms-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every SMS template slug with the template that applies */
        get: operations["getV1Sms-templates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sms-templates/{slug}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The SMS template that applies to a slug (and locale) */
        get: operations["getV1Sms-templatesBySlug"];
        /**
         * Save the tenant’s SMS template for a slug and locale
         * @description Placeholders: {{code}} or {{link}} (required by the slug), {{app_name}}, {{expires_in_minutes}}, {{to}}, {{brand_color}}, {{brand_text_color}}; `<!--tessera:logo-->` becomes the branding logo. A body lacking its required variable, or naming one its slug does not have, is refused with 422 form_param_format_invalid (meta.param_name: the field, meta.variable: the name).
         */
        put: operations["putV1Sms-templatesBySlug"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sms-templates/{slug}/revert": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete the tenant’s SMS template for that locale; returns the template that applies now */
        post: operations["postV1Sms-templatesBySlugRevert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/introspect": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Introspect a session token or an OAuth access token of this tenant */
        post: operations["postV1TokensIntrospect"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List users, newest first, with filters */
        get: operations["getV1Users"];
        put?: never;
        /**
         * Create a user (given addresses count as verified)
         * @description Import from another system: `password_digest` with `password_hasher` (not with `password`), verified at the first sign-in and then rehashed with the tenant's argon2id. Digest formats: `bcrypt` `$2a$|$2b$|$2y$<cost 04..14>$<53 chars>` (the first 72 bytes of a password count, as in bcrypt); `argon2id`/`argon2i` PHC `$argon2id$v=19$m=<KiB ≤ 65536>,t=<≤ 10>,p=<≤ 16>$<b64 salt>$<b64 hash>`; `scrypt` `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<b64 salt>$<b64 hash>` (N·r ≤ 2^19, N·r·p ≤ 2^20); `pbkdf2_sha256`/`pbkdf2_sha512` Django form `pbkdf2_sha256$<iterations ≤ 2000000>$<salt>$<b64 hash>`. Base64 may be standard, URL-safe or passlib-adapted, padded or not. `totp_secret`: Base32, 80..640 bits, active at once. `backup_codes`: up to 20 codes of 8..32 letters and digits, each usable once. A malformed or unreasonable value → 422 `form_param_format_invalid` naming the parameter.
         */
        post: operations["postV1Users"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a user */
        get: operations["getV1UsersById"];
        put?: never;
        post?: never;
        /** Delete a user: erase personal data and revoke sessions */
        delete: operations["deleteV1UsersById"];
        options?: never;
        head?: never;
        /** Update a user; each metadata object given replaces the stored one */
        patch: operations["patchV1UsersById"];
        trace?: never;
    };
    "/v1/users/{id}/ban": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ban a user and revoke all of their sessions */
        post: operations["postV1UsersByIdBan"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/jwt-templates/{name}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint a token from a JWT template for a user */
        post: operations["postV1UsersByIdJwt-templatesByNameTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/lock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lock a user until unlocked */
        post: operations["postV1UsersByIdLock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/mfa": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove TOTP, backup codes and second-factor phone reservations (passkeys stay); returns the user */
        delete: operations["deleteV1UsersByIdMfa"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/organization-memberships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a user’s memberships, newest first */
        get: operations["getV1UsersByIdOrganization-memberships"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/passkeys/{passkey_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove one of the user’s passkeys; returns the user */
        delete: operations["deleteV1UsersByIdPasskeysByPasskey_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Replace the user’s tenant roles (the session token’s `roles` claim) */
        put: operations["putV1UsersByIdRoles"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/unban": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Lift a ban */
        post: operations["postV1UsersByIdUnban"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/unlock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unlock a user and reset failed password attempts */
        post: operations["postV1UsersByIdUnlock"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/verify-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Check a user’s password */
        post: operations["postV1UsersByIdVerify-password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/verify-totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Check a TOTP (or backup) code → { verified: true, code_type: "totp" | "backup_code" }
         * @description A wrong, replayed or used-up code is 422 form_code_incorrect. A code that verifies is spent (not accepted again).
         */
        post: operations["postV1UsersByIdVerify-totp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create up to 100 users, each on its own (per-row results; a bad row fails alone)
         * @description Each of `users` is a POST /v1/users body. The answer is `{ data: [{ index, status: "created", user } | { index, status: "error", errors: [{ code, message, long_message, meta }] }] }`, one per row in order.
         */
        post: operations["postV1UsersBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List webhook endpoints, newest first */
        get: operations["getV1WebhooksEndpoints"];
        put?: never;
        /** Create a webhook endpoint (returns its signing secret once) */
        post: operations["postV1WebhooksEndpoints"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook endpoint */
        get: operations["getV1WebhooksEndpointsById"];
        put?: never;
        post?: never;
        /** Delete a webhook endpoint; messages still owed end as failed */
        delete: operations["deleteV1WebhooksEndpointsById"];
        options?: never;
        head?: never;
        /** Update a webhook endpoint; enabling it resets its failure count */
        patch: operations["patchV1WebhooksEndpointsById"];
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the endpoint’s messages, newest first */
        get: operations["getV1WebhooksEndpointsByIdMessages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}/messages/{msg}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a webhook message */
        get: operations["getV1WebhooksEndpointsByIdMessagesByMsg"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}/messages/{msg}/attempts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a message’s delivery attempts, newest first */
        get: operations["getV1WebhooksEndpointsByIdMessagesByMsgAttempts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}/messages/{msg}/retry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Attempt a message again now */
        post: operations["postV1WebhooksEndpointsByIdMessagesByMsgRetry"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/endpoints/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the signing secret; the old one also signs for 24 h */
        post: operations["postV1WebhooksEndpointsByIdRotate-secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
};
export type webhooks = Record<string, never>;
export type components = {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
};
export type $defs = Record<string, never>;
export interface operations {
    "getPlatformV1Audit-events": {
        parameters: {
            query?: {
                /** @description Exact action, e.g. sign_in.failed */
                action?: string;
                actor_id?: string;
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                /** @description Unix ms; events created at or after it */
                since?: string;
                target_id?: string;
                /** @description Read this tenant’s chain instead of the platform’s */
                tenant_id?: string;
                /** @description Unix ms; events created before it (exclusive) */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getPlatformV1Audit-eventsVerify": {
        parameters: {
            query?: {
                /** @description Read this tenant’s chain instead of the platform’s */
                tenant_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPlatformV1DevMessages: {
        parameters: {
            query?: {
                /** @description 1..100, default 20 */
                limit?: string;
                tenant_id?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPlatformV1Operators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postPlatformV1Operators: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address: string;
                    role: "super_admin" | "admin" | "viewer";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPlatformV1OperatorsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deletePlatformV1OperatorsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchPlatformV1OperatorsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    role: "super_admin" | "admin" | "viewer";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPlatformV1Tenants: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postPlatformV1Tenants: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    settings?: {
                        allowed_origins?: string[];
                        branding?: {
                            logo_url?: string | null;
                            name?: string | null;
                            primary_color?: string | null;
                        };
                        console?: {
                            admin_roles?: string[];
                            viewer_roles?: string[];
                        };
                        email?: {
                            from_address?: string | null;
                            from_name?: string | null;
                        };
                        email_link?: {
                            require_same_client?: boolean;
                        };
                        flows?: {
                            code_lifetime_s?: number;
                            code_tries?: number;
                            link_lifetime_s?: number;
                            passkey_lifetime_s?: number;
                            sign_in_lifetime_s?: number;
                            sign_up_lifetime_s?: number;
                        };
                        licenses?: {
                            token_lifetime_s?: number;
                        };
                        lockout?: {
                            duration_s?: number;
                            max_failed_attempts?: number;
                        };
                        mfa?: {
                            policy?: "off" | "optional" | "required";
                            second_factors?: ("totp" | "backup_code" | "phone_code" | "passkey")[];
                        };
                        oauth?: {
                            access_token_lifetime_s?: number;
                            dynamic_registration?: "off" | "initial_access_token" | "open";
                            id_token_lifetime_s?: number;
                            refresh_token_lifetime_s?: number;
                            require_par?: boolean;
                        };
                        organizations?: {
                            allow_user_creation?: boolean;
                            creator_role?: string;
                            default_max_memberships?: number;
                            default_role?: string;
                            invitation_expiry_days?: number;
                        };
                        passkeys?: {
                            rp_id?: string | null;
                            rp_name?: string | null;
                        };
                        password?: {
                            argon2?: {
                                iterations?: number;
                                memory_kib?: number;
                                parallelism?: number;
                            };
                            max_length?: number;
                            min_length?: number;
                        };
                        rate_limits?: {
                            per_identifier_per_minute?: number;
                            per_ip_per_minute?: number;
                        };
                        redirect_urls?: string[];
                        session?: {
                            inactivity_timeout_s?: number;
                            max_lifetime_s?: number;
                            refresh_grace_s?: number;
                            token_lifetime_s?: number;
                        };
                        sign_in?: {
                            allow_enumeration?: boolean;
                            first_factors?: ("password" | "email_code" | "email_link" | "phone_code" | "passkey")[];
                        };
                        sign_up?: {
                            enabled?: boolean;
                            identifiers?: ("email_address" | "phone_number" | "username")[];
                            password_required?: boolean;
                            verify?: ("email_address" | "phone_number")[];
                        };
                        signing_algorithm?: "RS256" | "ES256" | "EdDSA";
                        signing_key_overlap_s?: number;
                        sso?: {
                            auto_link_verified_email?: boolean;
                        };
                        webhooks?: {
                            disable_after_failures?: number;
                            retry_schedule_s?: number[];
                        };
                    };
                    slug?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getPlatformV1TenantsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deletePlatformV1TenantsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchPlatformV1TenantsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    settings?: {
                        allowed_origins?: string[];
                        branding?: {
                            logo_url?: string | null;
                            name?: string | null;
                            primary_color?: string | null;
                        };
                        console?: {
                            admin_roles?: string[];
                            viewer_roles?: string[];
                        };
                        email?: {
                            from_address?: string | null;
                            from_name?: string | null;
                        };
                        email_link?: {
                            require_same_client?: boolean;
                        };
                        flows?: {
                            code_lifetime_s?: number;
                            code_tries?: number;
                            link_lifetime_s?: number;
                            passkey_lifetime_s?: number;
                            sign_in_lifetime_s?: number;
                            sign_up_lifetime_s?: number;
                        };
                        licenses?: {
                            token_lifetime_s?: number;
                        };
                        lockout?: {
                            duration_s?: number;
                            max_failed_attempts?: number;
                        };
                        mfa?: {
                            policy?: "off" | "optional" | "required";
                            second_factors?: ("totp" | "backup_code" | "phone_code" | "passkey")[];
                        };
                        oauth?: {
                            access_token_lifetime_s?: number;
                            dynamic_registration?: "off" | "initial_access_token" | "open";
                            id_token_lifetime_s?: number;
                            refresh_token_lifetime_s?: number;
                            require_par?: boolean;
                        };
                        organizations?: {
                            allow_user_creation?: boolean;
                            creator_role?: string;
                            default_max_memberships?: number;
                            default_role?: string;
                            invitation_expiry_days?: number;
                        };
                        passkeys?: {
                            rp_id?: string | null;
                            rp_name?: string | null;
                        };
                        password?: {
                            argon2?: {
                                iterations?: number;
                                memory_kib?: number;
                                parallelism?: number;
                            };
                            max_length?: number;
                            min_length?: number;
                        };
                        rate_limits?: {
                            per_identifier_per_minute?: number;
                            per_ip_per_minute?: number;
                        };
                        redirect_urls?: string[];
                        session?: {
                            inactivity_timeout_s?: number;
                            max_lifetime_s?: number;
                            refresh_grace_s?: number;
                            token_lifetime_s?: number;
                        };
                        sign_in?: {
                            allow_enumeration?: boolean;
                            first_factors?: ("password" | "email_code" | "email_link" | "phone_code" | "passkey")[];
                        };
                        sign_up?: {
                            enabled?: boolean;
                            identifiers?: ("email_address" | "phone_number" | "username")[];
                            password_required?: boolean;
                            verify?: ("email_address" | "phone_number")[];
                        };
                        signing_algorithm?: "RS256" | "ES256" | "EdDSA";
                        signing_key_overlap_s?: number;
                        sso?: {
                            auto_link_verified_email?: boolean;
                        };
                        webhooks?: {
                            disable_after_failures?: number;
                            retry_schedule_s?: number[];
                        };
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postPlatformV1TenantsByIdKeysRotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postPlatformV1TenantsByIdSecret-keyRotate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Actor-tokens": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Actor-tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    actor: {
                        sub: string;
                    };
                    expires_in_seconds?: number;
                    user_id: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Actor-tokensByIdRevoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1AnalyticsByMetric: {
        parameters: {
            query?: {
                from?: string;
                interval?: "hour" | "day" | "month";
                to?: string;
            };
            header?: never;
            path: {
                metric: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Api-keys": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expires_at?: (string | number) | null;
                    name: string;
                    scopes: string[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Api-keysById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Api-keysByIdRevoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Audit-events": {
        parameters: {
            query?: {
                /** @description Exact action, e.g. sign_in.failed */
                action?: string;
                actor_id?: string;
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                /** @description Unix ms; events created at or after it */
                since?: string;
                target_id?: string;
                /** @description Unix ms; events created before it (exclusive) */
                until?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Audit-eventsVerify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1BillingStripe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    putV1BillingStripe: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    webhook_secret: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Custom-domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Custom-domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    host: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Custom-domainsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Custom-domainsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Custom-domainsByIdVerify": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1DeliveriesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        attempts: number;
                        channel: "email" | "sms";
                        created_at: number;
                        /** @description The id of the request (an evt_ outbox id) */
                        id: string;
                        last_error: string | null;
                        /** @constant */
                        object: "delivery";
                        /** @description pending: queued or being retried; sent: accepted by the SMTP server, the SMS provider or the dev mailbox; failed: given up, see last_error */
                        status: "pending" | "sent" | "failed";
                        template: string;
                        /** @description The recipient, masked: a***@example.com, +4*******89 */
                        to: string;
                        updated_at: number;
                        via: "tenant" | "installation" | "dev_mailbox" | null;
                    };
                    "multipart/form-data": {
                        attempts: number;
                        channel: "email" | "sms";
                        created_at: number;
                        /** @description The id of the request (an evt_ outbox id) */
                        id: string;
                        last_error: string | null;
                        /** @constant */
                        object: "delivery";
                        /** @description pending: queued or being retried; sent: accepted by the SMTP server, the SMS provider or the dev mailbox; failed: given up, see last_error */
                        status: "pending" | "sent" | "failed";
                        template: string;
                        /** @description The recipient, masked: a***@example.com, +4*******89 */
                        to: string;
                        updated_at: number;
                        via: "tenant" | "installation" | "dev_mailbox" | null;
                    };
                    "text/plain": {
                        attempts: number;
                        channel: "email" | "sms";
                        created_at: number;
                        /** @description The id of the request (an evt_ outbox id) */
                        id: string;
                        last_error: string | null;
                        /** @constant */
                        object: "delivery";
                        /** @description pending: queued or being retried; sent: accepted by the SMTP server, the SMS provider or the dev mailbox; failed: given up, see last_error */
                        status: "pending" | "sent" | "failed";
                        template: string;
                        /** @description The recipient, masked: a***@example.com, +4*******89 */
                        to: string;
                        updated_at: number;
                        via: "tenant" | "installation" | "dev_mailbox" | null;
                    };
                };
            };
        };
    };
    getV1DeliveryEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    putV1DeliveryEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    from_address: string;
                    from_name?: string | null;
                    host: string;
                    password?: string;
                    port: string | number;
                    secure?: boolean;
                    username?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1DeliveryEmail: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1DeliveryEmailTest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    to: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1DeliverySms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    putV1DeliverySms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1DeliverySms: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Email-templates": {
        parameters: {
            query?: {
                /** @description BCP 47 language tag; absent = every locale without its own template */
                locale?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            available_variables: string[];
                            html: string | null;
                            id: string | null;
                            is_default: boolean;
                            /** @description The locale of the template that applies; null = any locale */
                            locale: string | null;
                            /** @constant */
                            object: "email_template";
                            required_variables: string[];
                            slug: string;
                            subject: string;
                            text: string;
                            updated_at: number | null;
                        }[];
                        meta: {
                            next_cursor: null;
                            total_count: number;
                        };
                    };
                    "multipart/form-data": {
                        data: {
                            available_variables: string[];
                            html: string | null;
                            id: string | null;
                            is_default: boolean;
                            /** @description The locale of the template that applies; null = any locale */
                            locale: string | null;
                            /** @constant */
                            object: "email_template";
                            required_variables: string[];
                            slug: string;
                            subject: string;
                            text: string;
                            updated_at: number | null;
                        }[];
                        meta: {
                            next_cursor: null;
                            total_count: number;
                        };
                    };
                    "text/plain": {
                        data: {
                            available_variables: string[];
                            html: string | null;
                            id: string | null;
                            is_default: boolean;
                            /** @description The locale of the template that applies; null = any locale */
                            locale: string | null;
                            /** @constant */
                            object: "email_template";
                            required_variables: string[];
                            slug: string;
                            subject: string;
                            text: string;
                            updated_at: number | null;
                        }[];
                        meta: {
                            next_cursor: null;
                            total_count: number;
                        };
                    };
                };
            };
        };
    };
    "getV1Email-templatesBySlug": {
        parameters: {
            query?: {
                /** @description BCP 47 language tag; absent = every locale without its own template */
                locale?: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "multipart/form-data": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "text/plain": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                };
            };
        };
    };
    "putV1Email-templatesBySlug": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description Absent or null: the email is sent as plain text only */
                    html?: string | null;
                    /** @description BCP 47 language tag; absent = every locale without its own template */
                    locale?: string;
                    subject: string;
                    text: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "multipart/form-data": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "text/plain": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                };
            };
        };
    };
    "postV1Email-templatesBySlugRevert": {
        parameters: {
            query?: {
                /** @description BCP 47 language tag; absent = every locale without its own template */
                locale?: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "multipart/form-data": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "text/plain": {
                        available_variables: string[];
                        html: string | null;
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "email_template";
                        required_variables: string[];
                        slug: string;
                        subject: string;
                        text: string;
                        updated_at: number | null;
                    };
                };
            };
        };
    };
    "getV1Enterprise-connections": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Enterprise-connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    active?: boolean;
                    allow_idp_initiated?: boolean;
                    attribute_mapping?: {
                        email_address?: string;
                        first_name?: string;
                        groups?: string;
                        last_name?: string;
                        user_id?: string;
                    };
                    default_role?: string | null;
                    domains: string[];
                    idp_certificate?: string;
                    idp_entity_id?: string;
                    idp_metadata?: string;
                    idp_metadata_url?: string;
                    idp_sso_url?: string;
                    jit_provisioning?: boolean;
                    name: string;
                    oidc_client_id?: string;
                    oidc_client_secret?: string;
                    oidc_discovery_url?: string;
                    oidc_scopes?: string[];
                    organization_id: string;
                    protocol: "oidc" | "saml";
                    role_mapping?: {
                        group: string;
                        role: string;
                    }[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Enterprise-connectionsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Enterprise-connectionsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Enterprise-connectionsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    active?: boolean;
                    allow_idp_initiated?: boolean;
                    attribute_mapping?: {
                        email_address?: string;
                        first_name?: string;
                        groups?: string;
                        last_name?: string;
                        user_id?: string;
                    };
                    default_role?: string | null;
                    domains?: string[];
                    idp_certificate?: string;
                    idp_entity_id?: string;
                    idp_metadata?: string;
                    idp_metadata_url?: string;
                    idp_sso_url?: string;
                    jit_provisioning?: boolean;
                    name?: string;
                    oidc_client_id?: string;
                    oidc_client_secret?: string;
                    oidc_discovery_url?: string;
                    oidc_scopes?: string[];
                    organization_id?: string;
                    protocol?: "oidc" | "saml";
                    role_mapping?: {
                        group: string;
                        role: string;
                    }[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Enterprise-connectionsByIdTest": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Jwt-templates": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Jwt-templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    allowed_clock_skew_s?: number;
                    claims: {
                        [key: string]: unknown;
                    };
                    lifetime_s?: number;
                    name: string;
                    signing_algorithm?: "RS256" | "ES256" | "EdDSA" | "HS256" | "HS384" | "HS512";
                    signing_key?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Jwt-templatesById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Jwt-templatesById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Jwt-templatesById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    allowed_clock_skew_s?: number;
                    claims?: {
                        [key: string]: unknown;
                    };
                    lifetime_s?: number;
                    name?: string;
                    signing_algorithm?: "RS256" | "ES256" | "EdDSA" | "HS256" | "HS384" | "HS512";
                    signing_key?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1License-keys": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: string;
                organization_id?: string;
                product_id?: string;
                status?: "active" | "revoked" | "expired";
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1License-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expires_at?: (string | number) | null;
                    max_activations?: (string | number) | null;
                    metadata?: {
                        [key: string]: unknown;
                    };
                    organization_id?: string | null;
                    product_id: string;
                    user_id?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1License-keysById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1License-keysById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1License-keysById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expires_at?: (string | number) | null;
                    max_activations?: (string | number) | null;
                    metadata?: {
                        [key: string]: unknown;
                    };
                    organization_id?: string | null;
                    user_id?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1License-keysByIdActivations": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1License-keysByIdActivationsByAct": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                act: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1License-keysByIdRevoke": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1License-keysVerify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    device_fingerprint?: string;
                    key: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Oauth-applications": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Oauth-applications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    access_token_format?: "jwt" | "opaque";
                    allowed_resources?: string[];
                    consent_required?: boolean;
                    first_party?: boolean;
                    grant_types?: string[];
                    jwks_uri?: string | null;
                    logo_url?: string | null;
                    name: string;
                    post_logout_redirect_uris?: string[];
                    public?: boolean;
                    redirect_uris: string[];
                    scopes?: string[];
                    token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Oauth-applicationsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Oauth-applicationsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Oauth-applicationsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    access_token_format?: "jwt" | "opaque";
                    allowed_resources?: string[];
                    consent_required?: boolean;
                    first_party?: boolean;
                    grant_types?: string[];
                    jwks_uri?: string | null;
                    logo_url?: string | null;
                    name?: string;
                    post_logout_redirect_uris?: string[];
                    public?: boolean;
                    redirect_uris?: string[];
                    scopes?: string[];
                    token_endpoint_auth_method?: "client_secret_basic" | "client_secret_post" | "private_key_jwt" | "none";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Oauth-applicationsByIdAuthorization-grants": {
        parameters: {
            query?: {
                cursor?: string;
                limit?: string;
                user_id?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Oauth-applicationsByIdAuthorization-grantsByGid": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                gid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Oauth-applicationsByIdRotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Oauth-providers": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Oauth-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    apple_key_id?: string;
                    apple_team_id?: string;
                    attribute_mapping?: {
                        email_address?: string;
                        email_verified?: string;
                        first_name?: string;
                        image_url?: string;
                        last_name?: string;
                        user_id: string;
                        username?: string;
                    };
                    authorization_url?: string;
                    client_id: string;
                    client_secret: string;
                    discovery_url?: string;
                    enabled?: boolean;
                    key?: string;
                    name?: string;
                    provider: "google" | "github" | "microsoft" | "apple" | "gitlab" | "discord" | "custom_oidc" | "custom_oauth2";
                    scopes?: string[];
                    token_url?: string;
                    userinfo_url?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Oauth-providersById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Oauth-providersById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Oauth-providersById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    apple_key_id?: string;
                    apple_team_id?: string;
                    attribute_mapping?: {
                        email_address?: string;
                        email_verified?: string;
                        first_name?: string;
                        image_url?: string;
                        last_name?: string;
                        user_id: string;
                        username?: string;
                    };
                    authorization_url?: string;
                    client_id?: string;
                    client_secret?: string;
                    discovery_url?: string;
                    enabled?: boolean;
                    key?: string;
                    name?: string;
                    provider?: "google" | "github" | "microsoft" | "apple" | "gitlab" | "discord" | "custom_oidc" | "custom_oauth2";
                    scopes?: string[];
                    token_url?: string;
                    userinfo_url?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Oauth-providersByIdTest": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Organizations: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                query?: string;
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1Organizations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    created_by?: string;
                    image_url?: string | null;
                    max_memberships?: number;
                    name: string;
                    private_metadata?: {
                        [key: string]: unknown;
                    };
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    slug?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1OrganizationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1OrganizationsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    image_url?: string | null;
                    max_memberships?: number;
                    name?: string;
                    private_metadata?: {
                        [key: string]: unknown;
                    };
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    slug?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdDomains: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdDomains: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enrollment_mode?: "manual_invitation" | "automatic_invitation" | "automatic_suggestion";
                    name: string;
                    verified?: boolean;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdDomainsByDomain_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1OrganizationsByIdDomainsByDomain_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1OrganizationsByIdDomainsByDomain_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enrollment_mode?: "manual_invitation" | "automatic_invitation" | "automatic_suggestion";
                    name?: string;
                    verified?: boolean;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdDomainsByDomain_idChallenges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address: string;
                    /** @constant */
                    strategy: "email_code";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdDomainsByDomain_idChallengesByChallenge_idAnswer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                challenge_id: string;
                domain_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdDomainsByDomain_idVerify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    strategy: "dns_txt";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdInvitations: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "pending" | "accepted" | "revoked" | "expired";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address: string;
                    expires_in_days?: number;
                    inviter_user_id?: string;
                    notify?: boolean;
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    redirect_url?: string;
                    role: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdInvitationsByIid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                iid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdInvitationsByIidRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                iid: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdInvitationsBulk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address: string;
                    expires_in_days?: number;
                    inviter_user_id?: string;
                    notify?: boolean;
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    redirect_url?: string;
                    role: string;
                }[];
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1OrganizationsByIdMembership-requests": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "pending" | "accepted" | "rejected";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1OrganizationsByIdMembership-requestsByRequest_idByDecision": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                decision: "accept" | "reject";
                id: string;
                request_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdMemberships: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                query?: string;
                role?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdMemberships: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    private_metadata?: {
                        [key: string]: unknown;
                    };
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    role: string;
                    user_id: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1OrganizationsByIdMembershipsByUser_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1OrganizationsByIdMembershipsByUser_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    private_metadata?: {
                        [key: string]: unknown;
                    };
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    role?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1OrganizationsByIdScimAttribute-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "putV1OrganizationsByIdScimAttribute-mappings": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    default_role?: string | null;
                    group_roles?: {
                        group: string;
                        role: string;
                    }[];
                    user?: {
                        [key: string]: string | null;
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdScimEndpoint: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdScimTokens: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "active" | "revoked" | "expired";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdScimTokens: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    expires_at?: (string | number) | null;
                    name?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1OrganizationsByIdScimTokensByToken_idRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                token_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1OrganizationsByIdSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    putV1OrganizationsByIdSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    current_period_end?: (string | number) | null;
                    plan_id: string;
                    status?: "trialing" | "active" | "past_due" | "canceled" | "incomplete";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1OrganizationsByIdSubscription: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Permissions: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1Permissions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    key: string;
                    name: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1PermissionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1PermissionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1PermissionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    name?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Plans: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1Plans: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    features?: string[];
                    key: string;
                    name: string;
                    stripe_price_ids?: string[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1PlansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1PlansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1PlansById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    features?: string[];
                    key?: string;
                    name?: string;
                    stripe_price_ids?: string[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Products: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1Products: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    default_max_activations?: (string | number) | null;
                    key_prefix: string;
                    name: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1ProductsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1ProductsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1ProductsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    default_max_activations?: (string | number) | null;
                    key_prefix?: string;
                    name?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Roles: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                scope?: "organization" | "tenant";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1Roles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    key: string;
                    level?: number;
                    name: string;
                    permissions?: string[];
                    scope?: "organization" | "tenant";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1RolesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1RolesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1RolesById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    key?: string;
                    level?: number;
                    name?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    putV1RolesByIdPermissions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    permissions: string[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Saml-service-providers": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Saml-service-providers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    acs_url: string;
                    attribute_mapping?: {
                        [key: string]: string;
                    };
                    enabled?: boolean;
                    entity_id: string;
                    name: string;
                    name_id_format?: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" | "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" | "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
                    organization_id?: string | null;
                    sp_certificate?: string | null;
                    want_authn_requests_signed?: boolean;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Saml-service-providersById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "deleteV1Saml-service-providersById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Saml-service-providersById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    acs_url?: string;
                    attribute_mapping?: {
                        [key: string]: string;
                    };
                    enabled?: boolean;
                    entity_id?: string;
                    name?: string;
                    name_id_format?: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress" | "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" | "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
                    organization_id?: string | null;
                    sp_certificate?: string | null;
                    want_authn_requests_signed?: boolean;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Sessions: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "active" | "ended" | "revoked" | "expired" | "replaced";
                user_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1SessionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1SessionsByIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1SessionsRefresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    refresh_token: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1Settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    allowed_origins?: string[];
                    branding?: {
                        logo_url?: string | null;
                        name?: string | null;
                        primary_color?: string | null;
                    };
                    console?: {
                        admin_roles?: string[];
                        viewer_roles?: string[];
                    };
                    email?: {
                        from_address?: string | null;
                        from_name?: string | null;
                    };
                    email_link?: {
                        require_same_client?: boolean;
                    };
                    flows?: {
                        code_lifetime_s?: number;
                        code_tries?: number;
                        link_lifetime_s?: number;
                        passkey_lifetime_s?: number;
                        sign_in_lifetime_s?: number;
                        sign_up_lifetime_s?: number;
                    };
                    licenses?: {
                        token_lifetime_s?: number;
                    };
                    lockout?: {
                        duration_s?: number;
                        max_failed_attempts?: number;
                    };
                    mfa?: {
                        policy?: "off" | "optional" | "required";
                        second_factors?: ("totp" | "backup_code" | "phone_code" | "passkey")[];
                    };
                    oauth?: {
                        access_token_lifetime_s?: number;
                        dynamic_registration?: "off" | "initial_access_token" | "open";
                        id_token_lifetime_s?: number;
                        refresh_token_lifetime_s?: number;
                        require_par?: boolean;
                    };
                    organizations?: {
                        allow_user_creation?: boolean;
                        creator_role?: string;
                        default_max_memberships?: number;
                        default_role?: string;
                        invitation_expiry_days?: number;
                    };
                    passkeys?: {
                        rp_id?: string | null;
                        rp_name?: string | null;
                    };
                    password?: {
                        argon2?: {
                            iterations?: number;
                            memory_kib?: number;
                            parallelism?: number;
                        };
                        max_length?: number;
                        min_length?: number;
                    };
                    rate_limits?: {
                        per_identifier_per_minute?: number;
                        per_ip_per_minute?: number;
                    };
                    redirect_urls?: string[];
                    session?: {
                        inactivity_timeout_s?: number;
                        max_lifetime_s?: number;
                        refresh_grace_s?: number;
                        token_lifetime_s?: number;
                    };
                    sign_in?: {
                        allow_enumeration?: boolean;
                        first_factors?: ("password" | "email_code" | "email_link" | "phone_code" | "passkey")[];
                    };
                    sign_up?: {
                        enabled?: boolean;
                        identifiers?: ("email_address" | "phone_number" | "username")[];
                        password_required?: boolean;
                        verify?: ("email_address" | "phone_number")[];
                    };
                    signing_algorithm?: "RS256" | "ES256" | "EdDSA";
                    signing_key_overlap_s?: number;
                    sso?: {
                        auto_link_verified_email?: boolean;
                    };
                    webhooks?: {
                        disable_after_failures?: number;
                        retry_schedule_s?: number[];
                    };
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-ins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    identifier?: string;
                    password?: string;
                    redirect_url?: string;
                    strategy?: ("password" | "email_code" | "email_link" | "phone_code" | "passkey" | "totp" | "backup_code" | "reset_password_email_code" | "reset_password_phone_code") | string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Sign-insById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Sign-insById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    identifier: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-insByIdChallenges": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    strategy?: ("password" | "email_code" | "email_link" | "phone_code" | "passkey" | "totp" | "backup_code" | "reset_password_email_code" | "reset_password_phone_code") | string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-insByIdChallengesByCidAnswer": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code?: string;
                    credential?: {
                        [key: string]: unknown;
                    };
                    password?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-insByIdReset-password": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    sign_out_of_other_sessions?: boolean;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-insByIdTotp": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-insByIdTotpVerify": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-ups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address?: string;
                    first_name?: string;
                    last_name?: string;
                    legal_accepted?: boolean;
                    password?: string;
                    phone_number?: string;
                    redirect_url?: string;
                    strategy?: string;
                    ticket?: string;
                    unsafe_metadata?: {
                        [key: string]: unknown;
                    };
                    username?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Sign-upsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "patchV1Sign-upsById": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address?: string;
                    first_name?: string;
                    last_name?: string;
                    legal_accepted?: boolean;
                    password?: string;
                    phone_number?: string;
                    redirect_url?: string;
                    unsafe_metadata?: {
                        [key: string]: unknown;
                    };
                    username?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-upsByIdChallenges": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    strategy: "email_code" | "email_link" | "phone_code";
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1Sign-upsByIdChallengesByCidAnswer": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cid: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1Sms-templates": {
        parameters: {
            query?: {
                /** @description BCP 47 language tag; absent = every locale without its own template */
                locale?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        data: {
                            available_variables: string[];
                            id: string | null;
                            is_default: boolean;
                            /** @description The locale of the template that applies; null = any locale */
                            locale: string | null;
                            /** @constant */
                            object: "sms_template";
                            required_variables: string[];
                            slug: string;
                            text: string;
                            updated_at: number | null;
                        }[];
                        meta: {
                            next_cursor: null;
                            total_count: number;
                        };
                    };
                    "multipart/form-data": {
                        data: {
                            available_variables: string[];
                            id: string | null;
                            is_default: boolean;
                            /** @description The locale of the template that applies; null = any locale */
                            locale: string | null;
                            /** @constant */
                            object: "sms_template";
                            required_variables: string[];
                            slug: string;
                            text: string;
                            updated_at: number | null;
                        }[];
                        meta: {
                            next_cursor: null;
                            total_count: number;
                        };
                    };
                    "text/plain": {
                        data: {
                            available_variables: string[];
                            id: string | null;
                            is_default: boolean;
                            /** @description The locale of the template that applies; null = any locale */
                            locale: string | null;
                            /** @constant */
                            object: "sms_template";
                            required_variables: string[];
                            slug: string;
                            text: string;
                            updated_at: number | null;
                        }[];
                        meta: {
                            next_cursor: null;
                            total_count: number;
                        };
                    };
                };
            };
        };
    };
    "getV1Sms-templatesBySlug": {
        parameters: {
            query?: {
                /** @description BCP 47 language tag; absent = every locale without its own template */
                locale?: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "multipart/form-data": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "text/plain": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                };
            };
        };
    };
    "putV1Sms-templatesBySlug": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description BCP 47 language tag; absent = every locale without its own template */
                    locale?: string;
                    text: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "multipart/form-data": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "text/plain": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                };
            };
        };
    };
    "postV1Sms-templatesBySlugRevert": {
        parameters: {
            query?: {
                /** @description BCP 47 language tag; absent = every locale without its own template */
                locale?: string;
            };
            header?: never;
            path: {
                slug: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "multipart/form-data": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                    "text/plain": {
                        available_variables: string[];
                        id: string | null;
                        is_default: boolean;
                        /** @description The locale of the template that applies; null = any locale */
                        locale: string | null;
                        /** @constant */
                        object: "sms_template";
                        required_variables: string[];
                        slug: string;
                        text: string;
                        updated_at: number | null;
                    };
                };
            };
        };
    };
    postV1TokensIntrospect: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    organization_id?: string;
                    token: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1Users: {
        parameters: {
            query?: {
                cursor?: string;
                email_address?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                phone_number?: string;
                query?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1Users: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    backup_codes?: string[];
                    email_address?: string[];
                    first_name?: string;
                    last_name?: string;
                    password?: string;
                    password_digest?: string;
                    password_hasher?: "bcrypt" | "argon2id" | "argon2i" | "scrypt" | "pbkdf2_sha256" | "pbkdf2_sha512";
                    phone_number?: string[];
                    private_metadata?: {
                        [key: string]: unknown;
                    };
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    skip_password_checks?: boolean;
                    totp_secret?: string;
                    unsafe_metadata?: {
                        [key: string]: unknown;
                    };
                    username?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1UsersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1UsersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1UsersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    first_name?: string | null;
                    last_name?: string | null;
                    password?: string;
                    primary_email_address_id?: string;
                    primary_phone_number_id?: string;
                    private_metadata?: {
                        [key: string]: unknown;
                    };
                    public_metadata?: {
                        [key: string]: unknown;
                    };
                    skip_password_checks?: boolean;
                    unsafe_metadata?: {
                        [key: string]: unknown;
                    };
                    username?: string | null;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1UsersByIdBan: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1UsersByIdJwt-templatesByNameTokens": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    organization_id?: string;
                    session_id?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1UsersByIdLock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1UsersByIdMfa: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "getV1UsersByIdOrganization-memberships": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1UsersByIdPasskeysByPasskey_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                passkey_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    putV1UsersByIdRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    roles: string[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1UsersByIdUnban: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1UsersByIdUnlock: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1UsersByIdVerify-password": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1UsersByIdVerify-totp": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1UsersBulk: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    users: {
                        [key: string]: unknown;
                    }[];
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1WebhooksEndpoints: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1WebhooksEndpoints: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string;
                    disabled?: boolean;
                    filter_types?: string[];
                    url: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1WebhooksEndpointsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    deleteV1WebhooksEndpointsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    patchV1WebhooksEndpointsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: string | null;
                    disabled?: boolean;
                    filter_types?: string[] | null;
                    url?: string;
                };
            };
        };
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1WebhooksEndpointsByIdMessages: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "pending" | "delivered" | "failed";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1WebhooksEndpointsByIdMessagesByMsg: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                msg: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    getV1WebhooksEndpointsByIdMessagesByMsgAttempts: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path: {
                id: string;
                msg: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    postV1WebhooksEndpointsByIdMessagesByMsgRetry: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                msg: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    "postV1WebhooksEndpointsByIdRotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
