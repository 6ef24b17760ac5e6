/** The hosted-page shell this feature's pages (consent, logout, device, errors) are rendered with. */
import { escapeHtml } from '../hosted/html'

export { currentClient } from '../hosted/browser-client'
export { checkFormOrigin, checkFormPost, issueCsrf } from '../hosted/csrf'
export { escapeHtml }
export { newNonce, pageHeaders, renderPage } from '../hosted/layout'
export { hidden } from '../hosted/widgets'

/** What each scope lets an application do, in the words the consent and device pages use. */
const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are',
  profile: 'See your name and username',
  email: 'See your email address',
  phone: 'See your phone number',
  offline_access: 'Stay signed in when you are not using it',
  organization: 'See your organization and your role in it',
  public_metadata: 'See your public profile data',
}

/** The scopes as an HTML list (escaped). */
export const scopeList = (scopes: string[]) =>
  `<ul>${scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('')}</ul>`
