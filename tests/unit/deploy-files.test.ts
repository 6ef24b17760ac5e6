import { describe, expect, it } from 'bun:test'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * The deployment files (issue #22), parsed: the Dockerfile's stages and runtime user, deploy/compose.yaml's three
 * nodes on three clustered NATS servers behind a load balancer, and the Helm chart's objects with the probes,
 * budget, autoscaler and secrets it promises. (No Docker daemon, helm or kubeconform runs here: these checks are
 * what this machine can make of them.)
 */
const ROOT = new URL('../..', import.meta.url).pathname
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8')
type Yaml = Record<string, any>
const yaml = (text: string) => Bun.YAML.parse(text) as Yaml

describe('Dockerfile', () => {
  const lines = read('Dockerfile')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
  const stages = lines.flatMap((l, i) => (/^FROM /.test(l) ? [i] : []))
  const runtime = lines.slice(stages.at(-1))

  it('builds production dependencies in one stage and runs Bun as a non-root user in the next', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    expect(lines.some((l) => /npm ci --omit=dev/.test(l))).toBe(true)
    expect(runtime[0]).toMatch(/^FROM oven\/bun:/)
    const user = runtime.find((l) => l.startsWith('USER '))
    expect(user).toBe('USER bun')
    expect(runtime.at(-1)).toBe('CMD ["bun", "src/main.ts"]')
    expect(runtime.join('\n')).toContain('HEALTHCHECK')
    expect(runtime.join('\n')).toContain('/health')
    // No tests, benchmarks or dev tooling in the image.
    for (const l of runtime.filter((l) => l.startsWith('COPY '))) expect(l).not.toMatch(/tests|bench|\.git/)
    expect(read('.dockerignore')).toContain('tests')
  })
})

describe('deploy/compose.yaml', () => {
  const compose = yaml(read('deploy/compose.yaml'))
  const services = compose.services as Yaml

  it('runs three Tessera nodes on PostgreSQL and a three-node NATS cluster behind a load balancer', () => {
    const nodes = ['tessera-1', 'tessera-2', 'tessera-3']
    const nats = ['nats-1', 'nats-2', 'nats-3']
    for (const name of [...nodes, ...nats, 'postgres', 'lb']) expect(services[name]).toBeDefined()
    nodes.forEach((name, i) => {
      const env = services[name].environment as Yaml
      expect(env.DATABASE_URL).toStartWith('postgres://')
      expect(env.NATS_URL).toBe(`nats://${nats[i]}:4222`)
      expect(env.ENCRYPTION_KEY).toContain('${ENCRYPTION_KEY')
      expect(env.WEB_CONCURRENCY).toBe('2')
      expect(services[name].depends_on.postgres.condition).toBe('service_healthy')
      for (const server of nats) expect(services[name].depends_on[server].condition).toBe('service_healthy')
    })
    for (const name of nats) {
      const command = (services[name].command as string[]).join(' ')
      expect(command).toContain('-js')
      expect(services[name].healthcheck.test.join(' ')).toContain('/healthz?js-enabled-only=true')
      expect(command).toContain('--cluster_name tessera')
      const routes = command.match(/nats:\/\/(nats-\d):6222/g) ?? []
      expect(routes.filter((r) => !r.includes(name))).toHaveLength(2)
    }
    expect(services.lb.ports).toEqual(['8080:80'])
    const upstreams = [...read('deploy/nginx.conf').matchAll(/server (tessera-\d):3000/g)].map((m) => m[1])
    expect(upstreams).toEqual(nodes)
  })
})

describe('deploy/helm/tessera', () => {
  const chart = 'deploy/helm/tessera'
  /** A template as plain YAML: directive lines dropped, inline expressions replaced by a placeholder. */
  const template = (name: string) =>
    yaml(
      read(`${chart}/templates/${name}`)
        .split('\n')
        .filter((l) => !/^\s*\{\{-?.*-?\}\}\s*$/.test(l))
        .map((l) => l.replace(/\{\{.*?\}\}/g, 'x'))
        .join('\n'),
    )

  it('declares its chart, its values, and PostgreSQL and NATS as optional dependencies', () => {
    const meta = yaml(read(`${chart}/Chart.yaml`))
    expect(meta).toMatchObject({ apiVersion: 'v2', name: 'tessera', type: 'application' })
    expect(meta.dependencies.map((d: Yaml) => [d.name, d.condition])).toEqual([
      ['postgresql', 'postgresql.enabled'],
      ['nats', 'nats.enabled'],
    ])
    const values = yaml(read(`${chart}/values.yaml`))
    expect(values).toMatchObject({ replicaCount: 3, podDisruptionBudget: { minAvailable: 2 } })
    expect(values.autoscaling).toMatchObject({ enabled: true, minReplicas: 3 })
    expect(values.podSecurityContext).toMatchObject({ runAsNonRoot: true })
  })

  it('has a Deployment ready on /ready and alive on /health, a budget, an autoscaler and the key Secret', () => {
    const files = readdirSync(join(ROOT, chart, 'templates')).filter((f) => f.endsWith('.yaml'))
    const kinds = Object.fromEntries(files.map((f) => [template(f).kind, template(f)]))
    expect(Object.keys(kinds).sort()).toEqual(
      ['Deployment', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Secret', 'Service'].sort(),
    )
    const [container] = kinds.Deployment.spec.template.spec.containers
    expect(container.readinessProbe.httpGet.path).toBe('/ready')
    expect(container.livenessProbe.httpGet.path).toBe('/health')
    const fromSecret = container.env.filter((e: Yaml) => e.valueFrom?.secretKeyRef).map((e: Yaml) => e.name)
    expect(fromSecret.sort()).toEqual(['DATABASE_URL', 'ENCRYPTION_KEY', 'PLATFORM_API_KEY'])
    expect(Object.keys(kinds.Secret.stringData)).toEqual(expect.arrayContaining(['ENCRYPTION_KEY', 'PLATFORM_API_KEY']))
    expect(kinds.PodDisruptionBudget.apiVersion).toBe('policy/v1')
    expect(kinds.HorizontalPodAutoscaler).toMatchObject({
      apiVersion: 'autoscaling/v2',
      spec: { scaleTargetRef: { kind: 'Deployment' } },
    })
  })
})
