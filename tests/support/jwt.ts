/**
 * The token with one character in the middle of its signature changed. Changing the last
 * characters is not enough: base64url ignores the last character's spare bits, so such an edit
 * can decode to the very same signature.
 */
export function tamperedSignature(token: string): string {
  const at = token.lastIndexOf('.') + Math.floor((token.length - token.lastIndexOf('.')) / 2)
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1)
}
