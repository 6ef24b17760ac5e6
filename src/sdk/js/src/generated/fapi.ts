// Generated from /openapi.json by `npm run sdk:generate`; do not edit.
export type paths = {
    "/client": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The calling client: its sessions and current attempts */
        get: operations["getTByTenantV1Client"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** End every session of this client */
        delete: operations["deleteTByTenantV1ClientSessions"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sessions/{id}/active-organization": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Switch the session’s active organization (its next token carries it), or none */
        patch: operations["patchTByTenantV1ClientSessionsByIdActive-organization"];
        trace?: never;
    };
    "/client/sessions/{id}/end": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End one of this client’s sessions */
        post: operations["postTByTenantV1ClientSessionsByIdEnd"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sessions/{id}/reverify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Re-verify a factor on this client’s session → { object: "token", jwt, session }
         * @description Strategies: `password` { password }, `totp` / `backup_code` { code } (enrolled factors), `email_code` / `phone_code` { code } and `passkey` { credential } after `POST …/reverify/challenges`. The new session token (also the `__session` cookie in browser mode) has `fva` 0 for the re-verified slot (password and email codes: first; TOTP, backup codes, second-factor phone, passkey: second) and the strategy in `amr`; the session row keeps it for later refreshes. Wrong passwords count toward lockout (422 with `meta.attempts_remaining`, then 423); wrong codes spend the account’s code budget (10 per 15 minutes, then 429). Rate-limited per IP and per account. Another client’s session is 404.
         */
        post: operations["postTByTenantV1ClientSessionsByIdReverify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sessions/{id}/reverify/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a reverification code (only to an address or phone verified before the session began), or for `passkey` the WebAuthn options → 201 Challenge */
        post: operations["postTByTenantV1ClientSessionsByIdReverifyChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sessions/{id}/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Refresh: a new session token (and rotated refresh token) */
        post: operations["postTByTenantV1ClientSessionsByIdTokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sessions/{id}/tokens/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint a token from a JWT template for this session (nothing rotates) */
        post: operations["postTByTenantV1ClientSessionsByIdTokensByName"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a sign-in (identifier + password in one call may complete it)
         * @description SignIn `status`: `needs_identifier`, `needs_first_factor`, `needs_second_factor` (prove one of `supported_second_factors`: `totp`, `phone_code`, `backup_code`, `passkey`), `needs_second_factor_enrollment` (MFA policy `required` and nothing enrolled: `supported_second_factors` lists what to enrol, `[{ strategy: "totp" }]`; see `POST …/totp`), `needs_new_password`, `complete`, `expired`, `locked`.
         */
        post: operations["postTByTenantV1ClientSign-ins"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a sign-in attempt */
        get: operations["getTByTenantV1ClientSign-insById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Identify (or re-identify) the attempt */
        patch: operations["patchTByTenantV1ClientSign-insById"];
        trace?: never;
    };
    "/client/sign-ins/{id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a challenge for the current step (sends a code or link) */
        post: operations["postTByTenantV1ClientSign-insByIdChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}/challenges/{cid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Poll a challenge */
        get: operations["getTByTenantV1ClientSign-insByIdChallengesByCid"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}/challenges/{cid}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a challenge */
        post: operations["postTByTenantV1ClientSign-insByIdChallengesByCidAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}/external": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete an external sign-in in a native app with the callback’s `external_token`
         * @description Only the client that started the attempt may; answers the sign-in, or the sign-up an unknown account became, with its tokens.
         */
        post: operations["postTByTenantV1ClientSign-insByIdExternal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}/reset-password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Set a new password after a verified reset code
         * @description Password reset (API.md §4): after a verified `reset_password_email_code` / `reset_password_phone_code` challenge the attempt is `needs_new_password`; the password policy applies (422 as at sign-up), the new password replaces the old at once (and lifts a lockout by wrong passwords), `sign_out_of_other_sessions` revokes the user’s sessions, and the attempt is `complete` or `needs_second_factor` when the user has MFA. Audit `user.password_reset`.
         */
        post: operations["postTByTenantV1ClientSign-insByIdReset-password"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Enrol TOTP inside the attempt (MFA required, nothing enrolled)
         * @description Only while the attempt is `needs_second_factor_enrollment` (else 422 `strategy_not_allowed`). `POST …/totp` → 201 `{ object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }` (a new secret replaces an unconfirmed one); `POST …/totp/verify { code }` activates it and completes the attempt: the SignIn (status `complete`, with its session) plus `backup_codes`, 10 one-time codes shown only in this answer. A wrong code is 422 `form_code_incorrect` with `meta.attempts_remaining` (it counts toward the account lockout); amr is [first factor, "totp"].
         */
        post: operations["postTByTenantV1ClientSign-insByIdTotp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ins/{id}/totp/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Confirm the TOTP enrolment: completes the attempt, returns backup codes once
         * @description Only while the attempt is `needs_second_factor_enrollment` (else 422 `strategy_not_allowed`). `POST …/totp` → 201 `{ object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }` (a new secret replaces an unconfirmed one); `POST …/totp/verify { code }` activates it and completes the attempt: the SignIn (status `complete`, with its session) plus `backup_codes`, 10 one-time codes shown only in this answer. A wrong code is 422 `form_code_incorrect` with `meta.attempts_remaining` (it counts toward the account lockout); amr is [first factor, "totp"].
         */
        post: operations["postTByTenantV1ClientSign-insByIdTotpVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start a sign-up (with an invitation `ticket`, joins its organization)
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled"). Identifiers already used by a live user: 409 form_identifier_exists (meta.param_name). When every required field is present and verified, the user and a session are created and the response carries `session` and its tokens.
         */
        post: operations["postTByTenantV1ClientSign-ups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a sign-up attempt (claims its tokens once after an email link completed it) */
        get: operations["getTByTenantV1ClientSign-upsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Set or change sign-up fields
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled"). Identifiers already used by a live user: 409 form_identifier_exists (meta.param_name). When every required field is present and verified, the user and a session are created and the response carries `session` and its tokens.
         */
        patch: operations["patchTByTenantV1ClientSign-upsById"];
        trace?: never;
    };
    "/client/sign-ups/{id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify the email or phone (sends a code or link to the value on the attempt)
         * @description With the tenant setting sign_up.enabled false: 403 permission_denied (meta.reason "sign_up_disabled").
         */
        post: operations["postTByTenantV1ClientSign-upsByIdChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/sign-ups/{id}/challenges/{cid}/answer": {
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
        post: operations["postTByTenantV1ClientSign-upsByIdChallengesByCidAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/client/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Confirm an email link from the app that asked (X-Client-Token): the attempt or address it verified */
        post: operations["postTByTenantV1ClientVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Activate a license key on a device: a token verifiable offline with the JWKS */
        post: operations["postTByTenantV1LicensesActivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/deactivate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deactivate a device, freeing its slot */
        post: operations["postTByTenantV1LicensesDeactivate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/licenses/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate a license key (and a device’s activation) */
        post: operations["postTByTenantV1LicensesValidate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: operations["getTByTenantV1Me"];
        put?: never;
        post?: never;
        /** Delete the account (GDPR erasure); needs a factor verified within 10 minutes */
        delete: operations["deleteTByTenantV1Me"];
        options?: never;
        head?: never;
        /** Update names, username, unsafe_metadata or primary addresses (verified ones only) */
        patch: operations["patchTByTenantV1Me"];
        trace?: never;
    };
    "/me/authorization-grants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The applications the user has granted access */
        get: operations["getTByTenantV1MeAuthorization-grants"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/authorization-grants/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the applications the user has granted access */
        get: operations["getTByTenantV1MeAuthorization-grantsById"];
        put?: never;
        post?: never;
        /** Withdraw an application's access and end its tokens */
        delete: operations["deleteTByTenantV1MeAuthorization-grantsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/backup-codes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * New backup codes (10, shown once; replaces every earlier code)
         * @description Needs a factor verified within the last 10 minutes (token `fva`), else 403 `reverification_required`: re-verify with `POST /t/{tenant}/v1/client/sessions/{sid}/reverify` and use the token it returns.
         */
        post: operations["postTByTenantV1MeBackup-codes"];
        /**
         * Delete every backup code
         * @description Needs a factor verified within the last 10 minutes (token `fva`), else 403 `reverification_required`: re-verify with `POST /t/{tenant}/v1/client/sessions/{sid}/reverify` and use the token it returns.
         */
        delete: operations["deleteTByTenantV1MeBackup-codes"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/ciba-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Backchannel (CIBA) requests waiting for this user, newest first */
        get: operations["getTByTenantV1MeCiba-requests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/ciba-requests/{id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a CIBA request (a factor within 10 minutes, else 403 reverification_required) */
        post: operations["postTByTenantV1MeCiba-requestsByIdApprove"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/ciba-requests/{id}/deny": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deny a CIBA request */
        post: operations["postTByTenantV1MeCiba-requestsByIdDeny"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/email-addresses": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the user’s email addresses */
        get: operations["getTByTenantV1MeEmail-addresses"];
        put?: never;
        /** Add an unverified email address */
        post: operations["postTByTenantV1MeEmail-addresses"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/email-addresses/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete an email address (not the primary while another verified one exists, nor the last way to sign in) */
        delete: operations["deleteTByTenantV1MeEmail-addressesById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/email-addresses/{id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a verification code (or link) to the address */
        post: operations["postTByTenantV1MeEmail-addressesByIdChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/email-addresses/{id}/challenges/{cid}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the address with the code sent to it */
        post: operations["postTByTenantV1MeEmail-addressesByIdChallengesByCidAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Everything held on the user, as JSON (GDPR) */
        get: operations["getTByTenantV1MeExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/external-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the user’s external accounts */
        get: operations["getTByTenantV1MeExternal-accounts"];
        put?: never;
        /**
         * Link an account at a social provider (a factor within 10 minutes)
         * @description Send the browser to the challenge’s `external_redirect_url`; the callback links the account.
         */
        post: operations["postTByTenantV1MeExternal-accounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/external-accounts/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Unlink an external account (a factor within 10 minutes; not the last way to sign in) */
        delete: operations["deleteTByTenantV1MeExternal-accountsById"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/organization-invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Invitations to the signed-in user’s verified email addresses */
        get: operations["getTByTenantV1MeOrganization-invitations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/organization-invitations/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept an invitation: join with its role (422 invitation_not_pending once settled) */
        post: operations["postTByTenantV1MeOrganization-invitationsByIdAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/organization-memberships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user’s memberships */
        get: operations["getTByTenantV1MeOrganization-memberships"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/organization-memberships/{organization_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Leave an organization (not as its last owner) */
        delete: operations["deleteTByTenantV1MeOrganization-membershipsByOrganization_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/organization-suggestions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Organizations suggested to the signed-in user by their verified email domains */
        get: operations["getTByTenantV1MeOrganization-suggestions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/organization-suggestions/{suggestion_id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept a suggestion: a membership request for the organization’s admins */
        post: operations["postTByTenantV1MeOrganization-suggestionsBySuggestion_idAccept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/passkeys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the user’s passkeys */
        get: operations["getTByTenantV1MePasskeys"];
        put?: never;
        /** Register a passkey with startRegistration()’s response */
        post: operations["postTByTenantV1MePasskeys"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/passkeys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a passkey (needs a factor within 10 minutes; not the last way to sign in) */
        delete: operations["deleteTByTenantV1MePasskeysById"];
        options?: never;
        head?: never;
        /** Rename a passkey */
        patch: operations["patchTByTenantV1MePasskeysById"];
        trace?: never;
    };
    "/me/passkeys/registration-options": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** WebAuthn creation options for startRegistration() (single use, 5 minutes) */
        post: operations["postTByTenantV1MePasskeysRegistration-options"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/password": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set or change the password (current password, or a factor within 10 minutes) */
        post: operations["postTByTenantV1MePassword"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/phone-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List the user’s phone numbers */
        get: operations["getTByTenantV1MePhone-numbers"];
        put?: never;
        /** Add an unverified phone number (E.164) */
        post: operations["postTByTenantV1MePhone-numbers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/phone-numbers/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a phone number */
        delete: operations["deleteTByTenantV1MePhone-numbersById"];
        options?: never;
        head?: never;
        /** Reserve a verified phone for the second factor (needs a recent factor) */
        patch: operations["patchTByTenantV1MePhone-numbersById"];
        trace?: never;
    };
    "/me/phone-numbers/{id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a verification code by SMS */
        post: operations["postTByTenantV1MePhone-numbersByIdChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/phone-numbers/{id}/challenges/{cid}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify the number with the code sent to it */
        post: operations["postTByTenantV1MePhone-numbersByIdChallengesByCidAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/sessions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user’s active sessions on every client */
        get: operations["getTByTenantV1MeSessions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/sessions/{id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke one of the user’s sessions */
        post: operations["postTByTenantV1MeSessionsByIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start TOTP enrolment: { object: "totp", id, secret, otpauth_uri, qr_svg, verified: false }, shown once
         * @description The secret counts only after POST /me/totp/verify. Issuer = tenant name, label = primary identifier; SHA-1, 6 digits, 30 s. 409 while TOTP is active. Needs a factor verified within the last 10 minutes (token `fva`), else 403 `reverification_required`: re-verify with `POST /t/{tenant}/v1/client/sessions/{sid}/reverify` and use the token it returns.
         */
        post: operations["postTByTenantV1MeTotp"];
        /**
         * Disable TOTP (with a current TOTP or backup code, or a recent factor)
         * @description A wrong code is 422 form_code_incorrect and counts toward lockout. Without a code: Needs a factor verified within the last 10 minutes (token `fva`), else 403 `reverification_required`: re-verify with `POST /t/{tenant}/v1/client/sessions/{sid}/reverify` and use the token it returns. Backup codes are removed too unless a second-factor phone remains.
         */
        delete: operations["deleteTByTenantV1MeTotp"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/me/totp/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Activate TOTP with a current code → { object: "totp", id, verified: true } */
        post: operations["postTByTenantV1MeTotpVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/oauth-callback/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Callback of a social provider (redirect) */
        get: operations["getTByTenantV1Oauth-callbackByName"];
        put?: never;
        /** Callback of a social provider by form_post: 303 to the GET, which carries the cookies */
        post: operations["postTByTenantV1Oauth-callbackByName"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an organization and join it as the creator role */
        post: operations["postTByTenantV1Organizations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an organization (members) */
        get: operations["getTByTenantV1OrganizationsByOrg_id"];
        put?: never;
        post?: never;
        /** Delete an organization (org:sys_profile:delete) */
        delete: operations["deleteTByTenantV1OrganizationsByOrg_id"];
        options?: never;
        head?: never;
        /** Update an organization (org:sys_profile:manage) */
        patch: operations["patchTByTenantV1OrganizationsByOrg_id"];
        trace?: never;
    };
    "/organizations/{org_id}/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List domains (org:sys_domains:read) */
        get: operations["getTByTenantV1OrganizationsByOrg_idDomains"];
        put?: never;
        /** Claim a domain (org:sys_domains:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idDomains"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/domains/{domain_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get a domain (org:sys_domains:read) */
        get: operations["getTByTenantV1OrganizationsByOrg_idDomainsByDomain_id"];
        put?: never;
        post?: never;
        /** Delete a domain (org:sys_domains:manage) */
        delete: operations["deleteTByTenantV1OrganizationsByOrg_idDomainsByDomain_id"];
        options?: never;
        head?: never;
        /** Change a domain (org:sys_domains:manage) */
        patch: operations["patchTByTenantV1OrganizationsByOrg_idDomainsByDomain_id"];
        trace?: never;
    };
    "/organizations/{org_id}/domains/{domain_id}/challenges": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send a code to an address at the domain (org:sys_domains:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idDomainsByDomain_idChallenges"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/domains/{domain_id}/challenges/{challenge_id}/answer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Answer a domain’s email code (org:sys_domains:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idDomainsByDomain_idChallengesByChallenge_idAnswer"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/domains/{domain_id}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Verify a domain by its TXT record (org:sys_domains:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idDomainsByDomain_idVerify"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/invitations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List invitations (org:sys_memberships:read) */
        get: operations["getTByTenantV1OrganizationsByOrg_idInvitations"];
        put?: never;
        /** Invite an address with a role below the actor’s (org:sys_memberships:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idInvitations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/invitations/{iid}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get an invitation (org:sys_memberships:read) */
        get: operations["getTByTenantV1OrganizationsByOrg_idInvitationsByIid"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/invitations/{iid}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a pending invitation (org:sys_memberships:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idInvitationsByIidRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/invitations/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Invite up to 100 addresses, all or none (org:sys_memberships:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idInvitationsBulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/membership-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List membership requests (org:sys_memberships:read) */
        get: operations["getTByTenantV1OrganizationsByOrg_idMembership-requests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/membership-requests/{request_id}/{decision}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Accept or reject a membership request (org:sys_memberships:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idMembership-requestsByRequest_idByDecision"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/memberships": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List memberships (org:sys_memberships:read) */
        get: operations["getTByTenantV1OrganizationsByOrg_idMemberships"];
        put?: never;
        /** Add a member with a role below the actor’s (org:sys_memberships:manage) */
        post: operations["postTByTenantV1OrganizationsByOrg_idMemberships"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/organizations/{org_id}/memberships/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a member whose role is below the actor’s (org:sys_memberships:manage) */
        delete: operations["deleteTByTenantV1OrganizationsByOrg_idMembershipsByUser_id"];
        options?: never;
        head?: never;
        /** Change a member’s role, both below the actor’s (org:sys_memberships:manage) */
        patch: operations["patchTByTenantV1OrganizationsByOrg_idMembershipsByUser_id"];
        trace?: never;
    };
    "/organizations/{org_id}/roles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The roles a member may be given, highest level first */
        get: operations["getTByTenantV1OrganizationsByOrg_idRoles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Open an email link: a page to confirm it (changes nothing) */
        get: operations["getTByTenantV1Verify"];
        put?: never;
        /**
         * Confirm an email link (the form of its page)
         * @description By default only the browser of the client that asked may confirm (its `__client` cookie); another device gets a page asking to open the link there, and the challenge stays pending.
         */
        post: operations["postTByTenantV1Verify"];
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
    getTByTenantV1Client: {
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
    deleteTByTenantV1ClientSessions: {
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
    "patchTByTenantV1ClientSessionsByIdActive-organization": {
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
                    organization_id: string | null;
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
    postTByTenantV1ClientSessionsByIdEnd: {
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
    postTByTenantV1ClientSessionsByIdReverify: {
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
                    code?: string;
                    credential?: {
                        [key: string]: unknown;
                    };
                    password?: string;
                    strategy: "password" | "totp" | "backup_code" | "email_code" | "phone_code" | "passkey";
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
    postTByTenantV1ClientSessionsByIdReverifyChallenges: {
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
                    strategy: "email_code" | "phone_code" | "passkey";
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
    postTByTenantV1ClientSessionsByIdTokens: {
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
                    organization_id?: string | null;
                    refresh_token?: string;
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
    postTByTenantV1ClientSessionsByIdTokensByName: {
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
    "postTByTenantV1ClientSign-ins": {
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
    "getTByTenantV1ClientSign-insById": {
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
    "patchTByTenantV1ClientSign-insById": {
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
    "postTByTenantV1ClientSign-insByIdChallenges": {
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
    "getTByTenantV1ClientSign-insByIdChallengesByCid": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cid: string;
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
    "postTByTenantV1ClientSign-insByIdChallengesByCidAnswer": {
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
    "postTByTenantV1ClientSign-insByIdExternal": {
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
    "postTByTenantV1ClientSign-insByIdReset-password": {
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
    "postTByTenantV1ClientSign-insByIdTotp": {
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
    "postTByTenantV1ClientSign-insByIdTotpVerify": {
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
    "postTByTenantV1ClientSign-ups": {
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
    "getTByTenantV1ClientSign-upsById": {
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
    "patchTByTenantV1ClientSign-upsById": {
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
    "postTByTenantV1ClientSign-upsByIdChallenges": {
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
    "postTByTenantV1ClientSign-upsByIdChallengesByCidAnswer": {
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
    postTByTenantV1ClientVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
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
    postTByTenantV1LicensesActivate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    device_fingerprint: string;
                    device_name?: string;
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
    postTByTenantV1LicensesDeactivate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    device_fingerprint: string;
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
    postTByTenantV1LicensesValidate: {
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
    getTByTenantV1Me: {
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
    deleteTByTenantV1Me: {
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
    patchTByTenantV1Me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    first_name?: string | null;
                    last_name?: string | null;
                    primary_email_address_id?: string;
                    primary_phone_number_id?: string;
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
    "getTByTenantV1MeAuthorization-grants": {
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
    "getTByTenantV1MeAuthorization-grantsById": {
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
    "deleteTByTenantV1MeAuthorization-grantsById": {
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
    "postTByTenantV1MeBackup-codes": {
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
    "deleteTByTenantV1MeBackup-codes": {
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
    "getTByTenantV1MeCiba-requests": {
        parameters: {
            query?: {
                status?: "pending" | "approved" | "denied" | "expired";
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
    "postTByTenantV1MeCiba-requestsByIdApprove": {
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
    "postTByTenantV1MeCiba-requestsByIdDeny": {
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
    "getTByTenantV1MeEmail-addresses": {
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
    "postTByTenantV1MeEmail-addresses": {
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
    "deleteTByTenantV1MeEmail-addressesById": {
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
    "postTByTenantV1MeEmail-addressesByIdChallenges": {
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
                    strategy?: "email_code" | "email_link";
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
    "postTByTenantV1MeEmail-addressesByIdChallengesByCidAnswer": {
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
    getTByTenantV1MeExport: {
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
    "getTByTenantV1MeExternal-accounts": {
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
    "postTByTenantV1MeExternal-accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    redirect_url?: string;
                    strategy: string;
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
    "deleteTByTenantV1MeExternal-accountsById": {
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
    "getTByTenantV1MeOrganization-invitations": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "pending" | "accepted" | "revoked" | "expired";
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
    "postTByTenantV1MeOrganization-invitationsByIdAccept": {
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
    "getTByTenantV1MeOrganization-memberships": {
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
    "deleteTByTenantV1MeOrganization-membershipsByOrganization_id": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                organization_id: string;
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
    "getTByTenantV1MeOrganization-suggestions": {
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
    "postTByTenantV1MeOrganization-suggestionsBySuggestion_idAccept": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                suggestion_id: string;
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
    getTByTenantV1MePasskeys: {
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
    postTByTenantV1MePasskeys: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    credential: {
                        [key: string]: unknown;
                    };
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
    deleteTByTenantV1MePasskeysById: {
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
    patchTByTenantV1MePasskeysById: {
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
    "postTByTenantV1MePasskeysRegistration-options": {
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
    postTByTenantV1MePassword: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    current_password?: string;
                    new_password: string;
                    sign_out_other_sessions?: boolean;
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
    "getTByTenantV1MePhone-numbers": {
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
    "postTByTenantV1MePhone-numbers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    phone_number: string;
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
    "deleteTByTenantV1MePhone-numbersById": {
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
    "patchTByTenantV1MePhone-numbersById": {
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
                    reserved_for_second_factor: boolean;
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
    "postTByTenantV1MePhone-numbersByIdChallenges": {
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
                    /** @constant */
                    strategy?: "phone_code";
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
    "postTByTenantV1MePhone-numbersByIdChallengesByCidAnswer": {
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
    getTByTenantV1MeSessions: {
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
    postTByTenantV1MeSessionsByIdRevoke: {
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
    postTByTenantV1MeTotp: {
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
    deleteTByTenantV1MeTotp: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code?: string;
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
    postTByTenantV1MeTotpVerify: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
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
    "getTByTenantV1Oauth-callbackByName": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
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
    "postTByTenantV1Oauth-callbackByName": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    [key: string]: string;
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
    postTByTenantV1Organizations: {
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
    getTByTenantV1OrganizationsByOrg_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
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
    deleteTByTenantV1OrganizationsByOrg_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
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
    patchTByTenantV1OrganizationsByOrg_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    image_url?: string | null;
                    name?: string;
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
    getTByTenantV1OrganizationsByOrg_idDomains: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
            };
            header?: never;
            path: {
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idDomains: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enrollment_mode?: "manual_invitation" | "automatic_invitation" | "automatic_suggestion";
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
    getTByTenantV1OrganizationsByOrg_idDomainsByDomain_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                org_id: string;
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
    deleteTByTenantV1OrganizationsByOrg_idDomainsByDomain_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                org_id: string;
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
    patchTByTenantV1OrganizationsByOrg_idDomainsByDomain_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    enrollment_mode?: "manual_invitation" | "automatic_invitation" | "automatic_suggestion";
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
    postTByTenantV1OrganizationsByOrg_idDomainsByDomain_idChallenges: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idDomainsByDomain_idChallengesByChallenge_idAnswer: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                challenge_id: string;
                domain_id: string;
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idDomainsByDomain_idVerify: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                domain_id: string;
                org_id: string;
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
    getTByTenantV1OrganizationsByOrg_idInvitations: {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "pending" | "accepted" | "revoked" | "expired";
            };
            header?: never;
            path: {
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idInvitations: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address: string;
                    expires_in_days?: number;
                    notify?: boolean;
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
    getTByTenantV1OrganizationsByOrg_idInvitationsByIid: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                iid: string;
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idInvitationsByIidRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                iid: string;
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idInvitationsBulk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    email_address: string;
                    expires_in_days?: number;
                    notify?: boolean;
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
    "getTByTenantV1OrganizationsByOrg_idMembership-requests": {
        parameters: {
            query?: {
                cursor?: string;
                /** @description 1..100, default 20 */
                limit?: string;
                status?: "pending" | "accepted" | "rejected";
            };
            header?: never;
            path: {
                org_id: string;
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
    "postTByTenantV1OrganizationsByOrg_idMembership-requestsByRequest_idByDecision": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                decision: "accept" | "reject";
                org_id: string;
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
    getTByTenantV1OrganizationsByOrg_idMemberships: {
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
                org_id: string;
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
    postTByTenantV1OrganizationsByOrg_idMemberships: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
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
    deleteTByTenantV1OrganizationsByOrg_idMembershipsByUser_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
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
    patchTByTenantV1OrganizationsByOrg_idMembershipsByUser_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
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
    getTByTenantV1OrganizationsByOrg_idRoles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                org_id: string;
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
    getTByTenantV1Verify: {
        parameters: {
            query: {
                token: string;
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
    postTByTenantV1Verify: {
        parameters: {
            query?: {
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    csrf: string;
                    token?: string;
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
}
