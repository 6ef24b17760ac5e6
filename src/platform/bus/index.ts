import type { Bus } from './bus'
import type { Log } from '../log'
import { createMemoryBus } from './memory'
import { createNatsBus } from './nats'

export * from './bus'

/** NATS JetStream when a URL is configured, otherwise the in-process bus (embedded mode). */
export async function createBus(opts: { natsUrl: string | undefined; log: Log }): Promise<Bus> {
  return opts.natsUrl ? createNatsBus({ url: opts.natsUrl, log: opts.log }) : createMemoryBus({ log: opts.log })
}
