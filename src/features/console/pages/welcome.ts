import type { ConsolePage } from '../layout'
import { text } from './kit'

/** Signed out: operators sign in at the platform tenant, tenant admins at their tenant (named by its slug). */
export function welcome(message: string | null, hasOperators: boolean): ConsolePage {
  const operators = hasOperators
    ? '<form method="post" action="/console/sign-in"><button>Sign in as an operator</button></form>'
    : '<p class="note">No operator yet: add the first with <code>POST /platform/v1/operators</code> ' +
      '(the platform key) or <code>tessera operators create</code>.</p>'
  return {
    title: 'Sign in',
    body:
      (message ? `<p role="alert" class="error">${text(message)}</p>` : '') +
      `<h2>Operators</h2>${operators}` +
      '<h2>Tenant admins</h2><form method="post" action="/console/sign-in">' +
      '<label for="f-tenant">Your tenant (its slug)</label>' +
      '<input id="f-tenant" name="tenant" type="text" required autocomplete="organization">' +
      '<button>Sign in to my tenant</button></form>',
  }
}
