import { describe, expect, it } from 'bun:test'
import { argon2id, bcrypt } from 'hash-wasm'
import { verifyStored } from '../../src/platform/crypto/imported-hashes'
import { HashWorkers } from '../../src/platform/runtime/deno-hash-workers'
import { runtime } from '../../src/platform/runtime/runtime'

/**
 * The runtime adapter (issue #23), on whichever runtime runs the file: `npm test` runs it on Bun, `npm run
 * test:deno` on Deno. A password hash made on one runtime must verify on the other: the fixtures below were made
 * by Bun.password, and hash-wasm (Deno's hasher) makes the others here.
 */
const PASSWORD = 'correct horse battery staple'
const MADE_BY_BUN = {
  argon2id:
    '$argon2id$v=19$m=4096,t=2,p=1$SIqGmoAXRVK77gh3nVMTHyoLZhAz3+IhBn7o1sEF5kM$pnquWrO6AcH8l3lXB1dJ5QKR3fi2/QOzQYKjtGYO14k',
  argon2i:
    '$argon2i$v=19$m=4096,t=2,p=1$L7xrXTIkSpzbByIX6gBSDJhEVIaQ0uLLzVCU+R8b9/Q$MdxMGmxW7nv178I6Rq1QI1g+UdMm6C2F3IYOTYE6kBU',
  bcrypt: '$2b$04$p8y8HcTsJacQZFspxe5oMOn2YaNPs8hdSltv4R57NIJbhhmACfr3.',
}
const salt = () => crypto.getRandomValues(new Uint8Array(16))
const madeByHashWasm = async () => ({
  argon2id: await argon2id({
    password: PASSWORD,
    salt: salt(),
    memorySize: 4096,
    iterations: 2,
    parallelism: 1,
    hashLength: 32,
    outputType: 'encoded',
  }),
  bcrypt: await bcrypt({ password: PASSWORD, salt: salt(), costFactor: 4, outputType: 'encoded' }),
})

describe(`runtime adapter (${runtime.name} ${runtime.version})`, () => {
  it('names the runtime this process runs on', () => {
    expect(runtime.name).toBe('Bun' in globalThis ? 'bun' : 'deno')
  })

  it('hashes argon2id in the PHC form, with the cost asked for, and verifies it', async () => {
    const hash = await runtime.hashArgon2id(PASSWORD, { memoryKib: 8192, iterations: 3 })
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=8192,t=3,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]{43}$/)
    expect(await runtime.verifyHash(PASSWORD, hash)).toBe(true)
    expect(await runtime.verifyHash(`${PASSWORD}!`, hash)).toBe(false)
    // Salted: the same password never hashes the same twice.
    expect(await runtime.hashArgon2id(PASSWORD, { memoryKib: 8192, iterations: 3 })).not.toBe(hash)
  })

  it('verifies what Bun’s hasher made (argon2id, argon2i, bcrypt), and refuses a wrong password', async () => {
    for (const hash of Object.values(MADE_BY_BUN)) {
      expect(await runtime.verifyHash(PASSWORD, hash)).toBe(true)
      expect(await runtime.verifyHash('wrong', hash)).toBe(false)
    }
  })

  it('verifies what hash-wasm (the Deno hasher) made, and hash-wasm reads what this runtime makes', async () => {
    for (const hash of Object.values(await madeByHashWasm()))
      expect(await runtime.verifyHash(PASSWORD, hash)).toBe(true)
    const ours = await runtime.hashArgon2id(PASSWORD, { memoryKib: 4096, iterations: 2 })
    const { argon2Verify } = await import('hash-wasm')
    expect(await argon2Verify({ password: PASSWORD, hash: ours })).toBe(true)
  })

  it('answers false, never throws, for a hash it cannot read', async () => {
    for (const hash of ['', 'plain', '$argon2id$v=19$m=4096,t=2,p=1$!!$!!', '$2b$04$short'])
      expect(await runtime.verifyHash(PASSWORD, hash)).toBe(false)
  })

  it('checks a bcrypt password of more than 72 bytes as bcrypt everywhere does: on its first 72', async () => {
    const long = 'é'.repeat(40) // 80 UTF-8 bytes, of which the system that hashed it read 72
    const first72 = new TextEncoder().encode(long).subarray(0, 72)
    const hash = await bcrypt({ password: first72, salt: salt(), costFactor: 4, outputType: 'encoded' })
    expect(await verifyStored(long, hash)).toBe(true)
    expect(await verifyStored(`${long}tail`, hash)).toBe(true)
    expect(await verifyStored('é'.repeat(35), hash)).toBe(false)
  })

  it('starts this entry again with the same runtime (the node’s other HTTP processes)', () => {
    const [command, ...args] = runtime.selfCommand()
    expect(command).toBe(process.execPath)
    expect(args.at(-1)).toBe(process.argv[1])
    if (runtime.name === 'deno') expect(args[0]).toBe('run')
  })
})

describe('the Deno hashing pool (worker threads running hash-wasm)', () => {
  it('answers many jobs at once, each its own, and a broken hash with false', async () => {
    const pool = new HashWorkers()
    const passwords = Array.from({ length: 6 }, (_, i) => `password ${i}`)
    const hashes = await Promise.all(
      passwords.map((password) => pool.run({ op: 'hash', password, memoryKib: 1024, iterations: 1 })),
    )
    expect(new Set(hashes).size).toBe(6)
    const checks = await Promise.all(
      hashes.flatMap((hash, i) => [
        pool.run({ op: 'verify', password: passwords[i]!, hash }),
        pool.run({ op: 'verify', password: passwords[(i + 1) % 6]!, hash }),
      ]),
    )
    expect(checks).toEqual(hashes.flatMap(() => [true, false]))
    expect(await pool.run({ op: 'verify', password: 'x', hash: '$argon2id$nonsense' })).toBe(false)
    expect(await pool.run({ op: 'verify', password: PASSWORD, hash: MADE_BY_BUN.bcrypt })).toBe(true)
  })
})
