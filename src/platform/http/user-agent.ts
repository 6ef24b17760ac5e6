/**
 * Plain words for the device behind a request, for pages and messages that tell a person who
 * asked for something ("Chrome on macOS", "203.0.113.*"). Families only: enough to recognise
 * one's own device, too coarse to fingerprint anybody. Order matters: Edge and Opera also
 * claim Chrome, Chrome also claims Safari, and iOS also claims macOS.
 */
const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\b(OPR|Opera)\//, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\b(Firefox|FxiOS)\//, 'Firefox'],
  [/\b(Chrome|CriOS|Chromium)\//, 'Chrome'],
  [/\bSafari\//, 'Safari'],
]
const SYSTEMS: [RegExp, string][] = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
]

const firstMatch = (ua: string, table: [RegExp, string][]) => table.find(([pattern]) => pattern.test(ua))?.[1] ?? null

/** "Chrome on macOS", "Firefox", "a device running Android", or "an unknown device". */
export function describeDevice(userAgent: string | null): string {
  const ua = userAgent ?? ''
  const browser = firstMatch(ua, BROWSERS)
  const system = firstMatch(ua, SYSTEMS)
  if (browser && system) return `${browser} on ${system}`
  if (browser) return browser
  return system ? `a device running ${system}` : 'an unknown device'
}

/** The network, not the host: "203.0.113.*", "2001:db8:1:2:*"; null stays null. */
export function maskIp(ip: string | null): string | null {
  if (!ip) return null
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip)
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.*`
  const groups = ip.split(':').filter((g) => g !== '')
  return `${groups.slice(0, 4).join(':')}:*`
}
