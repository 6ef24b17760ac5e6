import { AppError } from '../../../platform/errors'
import * as OrgService from '../../organizations/service'
import type { FactorStrategy } from '../strategy'

/**
 * An organization invitation's one-time ticket (API.md §13a): it arrives in the sign-up's body and
 * proves the invited email address, so it is never a challenge of its own and is offered at no
 * sign-in step. An unknown ticket proves nothing; one whose invitation was accepted, revoked or has
 * expired answers 422 invitation_not_pending. Spending it is joining the organization, which the
 * sign-up's completion does with the new user (the invitation is accepted there, under its lock).
 */
export const ticket: FactorStrategy = {
  id: 'ticket',
  steps: [],
  answerField: 'token',
  channel: null,
  guessable: false,
  countsTowardLockout: false,
  passesPasswordLockout: false,
  provesBothFactors: false,
  async plan() {
    throw new AppError('strategy_not_allowed', { reason: 'ticket_in_sign_up_body' })
  },
  async check({ deps, tenant, answer }) {
    const found = answer.token ? await OrgService.findInvitationByTicket(deps, tenant, answer.token) : null
    if (!found) return null
    if (found.status !== 'pending') throw new AppError('invitation_not_pending', { status: found.status })
    return {
      userId: null,
      invitation: { id: found.id, emailAddress: found.emailAddress },
      spendInTx: async () => true,
    }
  },
}
