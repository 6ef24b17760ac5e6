/**
 * SCIM filters and attribute paths (RFC 7644 §3.4.2.2 and §3.5.2): a tokenizer, a recursive-descent
 * parser with the RFC's precedence (`not` > `and` > `or`, parentheses), value paths
 * (`emails[type eq "work" and value co "@x"]`) and PATCH paths (`emails[type eq "work"].value`), and an
 * evaluator over plain JSON resources. Operators and attribute names are case-insensitive; string
 * comparisons are case-insensitive unless the attribute is case-exact (RFC 7643 §2.2).
 */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'lt' | 'ge' | 'le'
export type CompValue = string | number | boolean | null

export interface AttrPath {
  /** The schema URN, lower-cased (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:user`), or null. */
  uri: string | null
  /** Lower-cased attribute name. */
  attr: string
  /** Lower-cased sub-attribute (`name.givenName` → `givenname`), or null. */
  sub: string | null
}

export type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; filter: Filter }
  | { op: 'pr'; path: AttrPath }
  | { op: CompareOp; path: AttrPath; value: CompValue }
  | { op: 'value_path'; path: AttrPath; filter: Filter }

/** A PATCH target: an attribute, optionally narrowed by a value filter, optionally one of its sub-attributes. */
export interface PatchPath {
  path: AttrPath
  filter: Filter | null
  sub: string | null
}

export class ScimPathError extends Error {
  constructor(
    readonly scimType: 'invalidFilter' | 'invalidPath',
    message: string,
  ) {
    super(message)
  }
}

const COMPARE_OPS = new Set<string>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'])
const MAX_LENGTH = 4096
const MAX_DEPTH = 32

type Token =
  | { kind: 'word'; text: string }
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: '(' | ')' | '[' | ']' }

function tokenize(input: string, scimType: ScimPathError['scimType']): Token[] {
  if (input.length > MAX_LENGTH) throw new ScimPathError(scimType, 'The expression is too long.')
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i]!
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++
    } else if (c === '(' || c === ')' || c === '[' || c === ']') {
      tokens.push({ kind: c })
      i++
    } else if (c === '"') {
      // A JSON string (RFC 7644: compValue strings are JSON strings, escapes included).
      let j = i + 1
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1
      if (j >= input.length) throw new ScimPathError(scimType, 'Unterminated string.')
      try {
        tokens.push({ kind: 'string', value: JSON.parse(input.slice(i, j + 1)) as string })
      } catch {
        throw new ScimPathError(scimType, 'Malformed string.')
      }
      i = j + 1
    } else {
      let j = i
      while (j < input.length && !' \t\n\r()[]"'.includes(input[j]!)) j++
      const text = input.slice(i, j)
      if (/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(text)) tokens.push({ kind: 'number', value: Number(text) })
      else tokens.push({ kind: 'word', text })
      i = j
    }
  }
  return tokens
}

const ATTR_NAME = /^[A-Za-z][\w$-]*$/

/** `[URI ":"] ATTRNAME ["." subAttr]`; the URI's last segment after its final colon is the attribute. */
export function parseAttrPath(text: string, scimType: ScimPathError['scimType'] = 'invalidFilter'): AttrPath {
  let uri: string | null = null
  let rest = text
  if (/^urn:/i.test(text)) {
    const colon = text.lastIndexOf(':')
    uri = text.slice(0, colon).toLowerCase()
    rest = text.slice(colon + 1)
  }
  const parts = rest.split('.')
  if (parts.length > 2 || parts.some((p) => !ATTR_NAME.test(p)))
    throw new ScimPathError(scimType, `"${text}" is not an attribute path.`)
  return { uri, attr: parts[0]!.toLowerCase(), sub: parts[1]?.toLowerCase() ?? null }
}

class Parser {
  private at = 0
  private depth = 0

  constructor(
    private tokens: Token[],
    private scimType: ScimPathError['scimType'],
  ) {}

  fail(message: string): never {
    throw new ScimPathError(this.scimType, message)
  }

  peek(): Token | undefined {
    return this.tokens[this.at]
  }

  done(): boolean {
    return this.at >= this.tokens.length
  }

  private keyword(word: string): boolean {
    const t = this.peek()
    if (t?.kind === 'word' && t.text.toLowerCase() === word) {
      this.at++
      return true
    }
    return false
  }

  private expect(kind: ')' | ']'): void {
    if (this.peek()?.kind !== kind) this.fail(`Expected "${kind}".`)
    this.at++
  }

  /** or-expression: and-expressions joined by `or` (lowest precedence). */
  filter(): Filter {
    if (++this.depth > MAX_DEPTH) this.fail('The filter is nested too deeply.')
    let left = this.conjunction()
    while (this.keyword('or')) left = { op: 'or', left, right: this.conjunction() }
    this.depth--
    return left
  }

  private conjunction(): Filter {
    let left = this.unary()
    while (this.keyword('and')) left = { op: 'and', left, right: this.unary() }
    return left
  }

  private unary(): Filter {
    if (this.keyword('not')) {
      if (this.peek()?.kind !== '(') this.fail('"not" must be followed by "(".')
      return { op: 'not', filter: this.unary() }
    }
    if (this.peek()?.kind === '(') {
      this.at++
      const inner = this.filter()
      this.expect(')')
      return inner
    }
    return this.attributeExpression()
  }

  private attributeExpression(): Filter {
    const t = this.peek()
    if (t?.kind !== 'word') this.fail('Expected an attribute path.')
    this.at++
    const path = parseAttrPath(t.text, this.scimType)
    if (this.peek()?.kind === '[') {
      this.at++
      if (path.sub !== null) this.fail('A value filter follows an attribute, not a sub-attribute.')
      const filter = this.filter()
      this.expect(']')
      return { op: 'value_path', path, filter }
    }
    const opToken = this.peek()
    if (opToken?.kind !== 'word') this.fail('Expected an operator.')
    this.at++
    const op = opToken.text.toLowerCase()
    if (op === 'pr') return { op: 'pr', path }
    if (!COMPARE_OPS.has(op)) this.fail(`Unknown operator "${opToken.text}".`)
    return { op: op as CompareOp, path, value: this.value() }
  }

  private value(): CompValue {
    const t = this.peek()
    this.at++
    if (t?.kind === 'string' || t?.kind === 'number') return t.value
    if (t?.kind === 'word') {
      const word = t.text.toLowerCase()
      if (word === 'true') return true
      if (word === 'false') return false
      if (word === 'null') return null
    }
    return this.fail('Expected a value: a string, a number, true, false or null.')
  }
}

/** `?filter=` (RFC 7644 §3.4.2.2); invalid → ScimPathError('invalidFilter'). */
export function parseFilter(input: string): Filter {
  const parser = new Parser(tokenize(input, 'invalidFilter'), 'invalidFilter')
  if (parser.done()) parser.fail('The filter is empty.')
  const filter = parser.filter()
  if (!parser.done()) parser.fail('Unexpected text after the filter.')
  return filter
}

/** A PATCH `path` (RFC 7644 §3.5.2): `attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`; invalid → invalidPath. */
export function parsePatchPath(input: string): PatchPath {
  const open = input.indexOf('[')
  if (open < 0) return { path: parseAttrPath(input.trim(), 'invalidPath'), filter: null, sub: null }
  const close = input.lastIndexOf(']')
  if (close < open) throw new ScimPathError('invalidPath', 'Unbalanced "[".')
  const path = parseAttrPath(input.slice(0, open).trim(), 'invalidPath')
  if (path.sub !== null) throw new ScimPathError('invalidPath', 'A value filter follows an attribute.')
  const parser = new Parser(tokenize(input.slice(open + 1, close), 'invalidPath'), 'invalidPath')
  const filter = parser.filter()
  if (!parser.done()) parser.fail('Unexpected text in the value filter.')
  const after = input.slice(close + 1).trim()
  if (after && !/^\.[A-Za-z][\w$-]*$/.test(after)) throw new ScimPathError('invalidPath', 'Unexpected text after "]".')
  return { path, filter, sub: after ? after.slice(1).toLowerCase() : null }
}
