/**
 * A small Prometheus registry: the request counter and latency histogram, and gauges read at
 * scrape time. Label sets stay small (route templates, not URLs) so memory is bounded.
 */
const REQUESTS = 'tessera_http_requests_total'
const BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

type Labels = Record<string, string>
const key = (labels: Labels) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, '_')}"`)
    .join(',')

interface Histogram {
  buckets: number[]
  sum: number
  count: number
}

export class Metrics {
  private counters = new Map<string, Map<string, number>>()
  private histograms = new Map<string, Histogram>()
  private gauges = new Map<string, { help: string; read: () => Promise<number> | number }>()
  private help = new Map<string, string>([[REQUESTS, 'HTTP requests by route and status.']])

  private requestLabels = new Map<string, { counter: string; histogram: string }>()

  /** One HTTP request: counted by method, route and status; timed by method and route. Hot path. */
  recordRequest(method: string, route: string, status: number, seconds: number): void {
    const id = `${method} ${status} ${route}`
    let labels = this.requestLabels.get(id)
    if (!labels) {
      labels = { counter: key({ method, route, status: String(status) }), histogram: key({ method, route }) }
      this.requestLabels.set(id, labels)
    }
    let series = this.counters.get(REQUESTS)
    if (!series) this.counters.set(REQUESTS, (series = new Map()))
    series.set(labels.counter, (series.get(labels.counter) ?? 0) + 1)
    this.observe(labels.histogram, seconds)
  }

  private observe(k: string, seconds: number): void {
    let h = this.histograms.get(k)
    if (!h) this.histograms.set(k, (h = { buckets: BUCKETS_S.map(() => 0), sum: 0, count: 0 }))
    h.sum += seconds
    h.count++
    for (let i = 0; i < BUCKETS_S.length; i++) if (seconds <= BUCKETS_S[i]!) h.buckets[i]!++
  }

  gauge(name: string, help: string, read: () => Promise<number> | number): void {
    this.gauges.set(name, { help, read })
  }

  async render(): Promise<string> {
    const out: string[] = []
    for (const [name, series] of this.counters) {
      out.push(`# HELP ${name} ${this.help.get(name)}`, `# TYPE ${name} counter`)
      for (const [labels, value] of series) out.push(`${name}{${labels}} ${value}`)
    }
    const hist = 'tessera_http_request_duration_seconds'
    out.push(`# HELP ${hist} HTTP request latency.`, `# TYPE ${hist} histogram`)
    for (const [labels, h] of this.histograms) {
      BUCKETS_S.forEach((le, i) => out.push(`${hist}_bucket{${labels},le="${le}"} ${h.buckets[i]}`))
      out.push(
        `${hist}_bucket{${labels},le="+Inf"} ${h.count}`,
        `${hist}_sum{${labels}} ${h.sum}`,
        `${hist}_count{${labels}} ${h.count}`,
      )
    }
    for (const [name, g] of this.gauges) {
      let value: number
      try {
        value = await g.read()
      } catch {
        continue
      }
      out.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`, `${name} ${value}`)
    }
    return out.join('\n') + '\n'
  }
}
