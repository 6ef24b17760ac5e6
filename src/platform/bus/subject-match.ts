/**
 * NATS subject matching: tokens are separated by `.`, `*` matches exactly one token and a final
 * `>` matches one or more trailing tokens. Used by the in-process bus to mirror NATS filters.
 */
export function subjectMatches(filter: string, subject: string): boolean {
  const want = filter.split('.')
  const got = subject.split('.')
  for (let i = 0; i < want.length; i++) {
    const token = want[i]
    if (token === '>' && i === want.length - 1) return got.length > i && got.slice(i).every((t) => t !== '')
    const actual = got[i]
    if (actual === undefined || actual === '') return false
    if (token !== '*' && token !== actual) return false
  }
  return got.length === want.length
}
