import { Elysia } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../platform/errors'
import * as AuditService from '../audit/service'
import * as OperatorsService from '../operators/service'
import { requireOperator } from './access'
import { consoleHandlers, hide } from './handlers'
import { auditPage } from './pages/audit'
import { operatorsPage } from './pages/operators'

/** Operators only: the platform audit log, and (super admins) the operators. */
export const platformRoutes = (deps: Deps) => {
  const { page, action, by, required } = consoleHandlers(deps)
  /** The platform's own trail (tenants' creations, key rotations, deletions). */
  const platformTrail = {
    chain: AuditService.PLATFORM_CHAIN,
    list: 'platform' as const,
    base: '/console/audit',
    title: 'Platform audit log',
    nav: '',
  }
  const operatorRole = (value: string | undefined) => {
    const role = OperatorsService.OPERATOR_ROLES.find((r) => r === value)
    if (!role) throw new AppError('form_param_format_invalid', { param_name: 'role' })
    return role
  }

  return new Elysia({ prefix: '/console', detail: hide })
    .get(
      '/audit',
      page(async (x, viewer, csrf) => {
        requireOperator(viewer)
        return auditPage(deps, platformTrail, csrf, x.query)
      }),
    )
    .post(
      '/audit/verify',
      action(async (_x, viewer, _fields, csrf) => {
        requireOperator(viewer)
        return auditPage(deps, platformTrail, csrf, {}, true)
      }),
    )
    .get(
      '/operators',
      page(async (_x, viewer, csrf) => {
        requireOperator(viewer, ['super_admin'])
        return operatorsPage(deps, viewer, csrf)
      }),
    )
    .post(
      '/operators',
      action(async (x, viewer, fields) => {
        requireOperator(viewer, ['super_admin'])
        const role = operatorRole(fields.role)
        await OperatorsService.create(deps, { email_address: required(fields, 'email_address'), role }, by(x, viewer))
        return '/console/operators'
      }),
    )
    .post(
      '/operators/:id/:change',
      action(async (x, viewer, fields) => {
        requireOperator(viewer, ['super_admin'])
        const id = x.params.id!
        if (x.params.change === 'role')
          await OperatorsService.update(deps, id, operatorRole(fields[`role-${id}`]), by(x, viewer))
        else if (x.params.change === 'remove') await OperatorsService.remove(deps, id, by(x, viewer))
        else throw new AppError('resource_not_found')
        return '/console/operators'
      }),
    )
}
