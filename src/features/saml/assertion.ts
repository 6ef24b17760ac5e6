/**
 * The checks API.md §16 asks of a SAML assertion once its signature has verified. `assertion` must be the
 * element node-saml returned from the *signed* bytes (never the one in the posted document); `response` is the
 * posted Response, whose unsigned attributes are only ever used to refuse, never to accept.
 */
import type { SamlConnection, SpRefusal, ValidatedAssertion, ValidateOptions } from './sp'
import { attr, BEARER, child, children, NS, parseInstant, text } from './xml'

/** Clock skew tolerated on NotBefore / NotOnOrAfter (API.md §16: ±60 s). */
export const CLOCK_SKEW_MS = 60_000

type Checked = { ok: true; value: ValidatedAssertion } | { ok: false; reason: SpRefusal }
const refuse = (reason: SpRefusal): { ok: false; reason: SpRefusal } => ({ ok: false, reason })

/** Time window check with skew; `null` when inside it. */
function timeWindow(
  now: number,
  notBefore: string | null,
  notOnOrAfter: string | null,
): SpRefusal | 'malformed' | null {
  const nb = notBefore === null ? null : parseInstant(notBefore)
  const noa = notOnOrAfter === null ? null : parseInstant(notOnOrAfter)
  if ((notBefore !== null && nb === null) || (notOnOrAfter !== null && noa === null)) return 'malformed'
  if (nb !== null && now + CLOCK_SKEW_MS < nb) return 'not_yet_valid'
  if (noa !== null && now - CLOCK_SKEW_MS >= noa) return 'expired'
  return null
}

/** The bearer SubjectConfirmationData that passes, or the reason the first one fails. */
function confirm(conn: SamlConnection, subject: Element, now: number): { data: Element } | { reason: SpRefusal } {
  const bearers = children(subject, NS.assertion, 'SubjectConfirmation').filter((c) => attr(c, 'Method') === BEARER)
  let first: SpRefusal | null = null
  for (const sc of bearers) {
    const data = child(sc, NS.assertion, 'SubjectConfirmationData')
    // Web SSO profile §4.1.4.2: bearer data must name the ACS (Recipient) and bound its life (NotOnOrAfter).
    const reason: SpRefusal | null = !data
      ? 'malformed'
      : attr(data, 'Recipient') !== conn.acsUrl
        ? 'wrong_destination'
        : attr(data, 'NotOnOrAfter') === null
          ? 'malformed'
          : timeWindow(now, attr(data, 'NotBefore'), attr(data, 'NotOnOrAfter'))
    if (reason === null && data) return { data }
    first ??= reason
  }
  return { reason: first ?? 'malformed' }
}

/** InResponseTo rules: equal to the request we sent, or absent only for an allowed IdP-initiated response. */
function inResponseTo(conn: SamlConnection, expected: string | null, values: (string | null)[]): SpRefusal | null {
  const present = values.filter((v): v is string => v !== null)
  if (expected === null) {
    if (!conn.allowIdpInitiated) return 'unsolicited'
    return present.length === 0 ? null : 'in_response_to_mismatch'
  }
  // The bearer data's InResponseTo is signed with the assertion; it must be there and match.
  if (values[0] === null || present.some((v) => v !== expected)) return 'in_response_to_mismatch'
  return null
}

function attributes(assertion: Element): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null)
  for (const statement of children(assertion, NS.assertion, 'AttributeStatement')) {
    for (const a of children(statement, NS.assertion, 'Attribute')) {
      const name = attr(a, 'Name')
      if (!name) continue
      const values = children(a, NS.assertion, 'AttributeValue').map(text)
      out[name] = [...(out[name] ?? []), ...values]
    }
  }
  return out
}

/** Runs every §16 check in a fixed order, then asks `seen` (last, so a refused assertion burns no id). */
export async function checkAssertion(
  conn: SamlConnection,
  response: Element,
  assertion: Element,
  opts: ValidateOptions,
): Promise<Checked> {
  const assertionId = attr(assertion, 'ID')
  const subject = child(assertion, NS.assertion, 'Subject')
  const nameIdEl = child(subject, NS.assertion, 'NameID')
  const conditions = children(assertion, NS.assertion, 'Conditions')
  if (!assertionId || !subject || !nameIdEl || !text(nameIdEl) || conditions.length !== 1) return refuse('malformed')

  const responseIssuer = child(response, NS.assertion, 'Issuer')
  if (text(child(assertion, NS.assertion, 'Issuer')) !== conn.idpEntityId) return refuse('wrong_issuer')
  if (responseIssuer && text(responseIssuer) !== conn.idpEntityId) return refuse('wrong_issuer')

  const destination = attr(response, 'Destination')
  if (destination !== null && destination !== conn.acsUrl) return refuse('wrong_destination')

  const cond = conditions[0] as Element
  const restrictions = children(cond, NS.assertion, 'AudienceRestriction')
  // Several AudienceRestriction elements must all hold (SAML core §2.5.1.4); one of each one's Audiences is us.
  const forUs = (r: Element) => children(r, NS.assertion, 'Audience').some((a) => text(a) === conn.spEntityId)
  if (restrictions.length === 0 || !restrictions.every(forUs)) return refuse('wrong_audience')

  const timing = timeWindow(opts.now, attr(cond, 'NotBefore'), attr(cond, 'NotOnOrAfter'))
  if (timing) return refuse(timing)
  const confirmed = confirm(conn, subject, opts.now)
  if ('reason' in confirmed) return refuse(confirmed.reason)

  const irt = inResponseTo(conn, opts.expectedInResponseTo, [
    attr(confirmed.data, 'InResponseTo'),
    attr(response, 'InResponseTo'),
  ])
  if (irt) return refuse(irt)

  const ends = [attr(cond, 'NotOnOrAfter'), attr(confirmed.data, 'NotOnOrAfter')].map(parseInstant)
  const notOnOrAfter = Math.min(...ends.filter((t): t is number => t !== null))
  if (await opts.seen(assertionId, notOnOrAfter + CLOCK_SKEW_MS)) return refuse('replayed')

  const authn = child(assertion, NS.assertion, 'AuthnStatement')
  return {
    ok: true,
    value: {
      nameId: text(nameIdEl),
      nameIdFormat: attr(nameIdEl, 'Format'),
      attributes: attributes(assertion),
      sessionIndex: attr(authn, 'SessionIndex'),
      assertionId,
      notOnOrAfter,
    },
  }
}
