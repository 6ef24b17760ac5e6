/** Why a provider's callback ends without signing in: the `error` its redirect carries (API.md §16). */
export type CallbackError =
  | 'oauth_access_denied'
  | 'oauth_callback_invalid'
  | 'external_account_exists'
  | 'external_account_link_required'
  | 'sso_user_not_provisioned'
  | 'sso_response_invalid'

/** A refusal with the reason audited as `sso.failed`. */
export class Refused extends Error {
  constructor(
    readonly error: CallbackError,
    readonly reason: string,
  ) {
    super(reason)
  }
}
