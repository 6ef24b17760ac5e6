/** The hosted-page shell this feature's pages (consent, logout, device, errors) are rendered with. */
export { currentClient } from '../hosted/browser-client'
export { checkFormOrigin, checkFormPost, issueCsrf } from '../hosted/csrf'
export { escapeHtml } from '../hosted/html'
export { newNonce, pageHeaders, renderPage } from '../hosted/layout'
