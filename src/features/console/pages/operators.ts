import type { Deps } from '../../../deps'
import * as OperatorsService from '../../operators/service'
import type { ConsolePage } from '../layout'
import type { Viewer } from '../session'
import { field, postForm, table, text, when } from './kit'

const roleSelect = (name: string, current: string) =>
  `<label for="f-${text(name)}">Role</label><select id="f-${text(name)}" name="${text(name)}">` +
  OperatorsService.OPERATOR_ROLES.map(
    (r) => `<option value="${r}"${r === current ? ' selected' : ''}>${r.replace('_', ' ')}</option>`,
  ).join('') +
  '</select>'

/** Super admins: the operators, their roles, and a form to add one (mailed where to sign in). */
export async function operatorsPage(deps: Deps, viewer: Viewer, csrf: string): Promise<ConsolePage> {
  const { data } = await OperatorsService.list(deps)
  const rows = data.map((o) => [
    text(o.email_address ?? o.id) + (o.id === viewer.userId ? ' <span class="badge">you</span>' : ''),
    postForm(`/console/operators/${o.id}/role`, csrf, 'Change', {
      inline: true,
      fields: roleSelect(`role-${o.id}`, o.role),
    }),
    when(o.created_at),
    o.id === viewer.userId
      ? ''
      : postForm(`/console/operators/${o.id}/remove`, csrf, 'Remove', { inline: true, danger: true }),
  ])
  return {
    title: 'Operators',
    body:
      table(['Operator', 'Role', 'Added', ''], rows, 'No operators.') +
      '<h2>Add an operator</h2>' +
      postForm('/console/operators', csrf, 'Add operator', {
        fields: field('Email address', 'email_address', 'email') + roleSelect('role', 'viewer'),
      }),
  }
}
