import dns2 from 'dns2'

/**
 * A DNS server on 127.0.0.1 (UDP, a free port) answering TXT questions from a table the test
 * fills: a name it holds nothing for gets an empty answer (NOERROR, no records). Tests point
 * DNS_RESOLVER at it, so no question leaves the machine.
 */
export async function localDns() {
  const txt = new Map<string, string[]>()
  const server = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request)
      for (const question of request.questions) {
        if (question.type !== dns2.Packet.TYPE.TXT) continue
        for (const data of txt.get(question.name.toLowerCase()) ?? []) {
          const answer = { name: question.name, type: question.type, class: dns2.Packet.CLASS.IN, ttl: 1, data }
          // The typings ask every record for toBuffer(), but the packet encoder takes plain records (its README).
          response.answers.push(answer as (typeof response.answers)[number])
        }
      }
      send(response)
    },
  })
  await server.listen({ udp: { port: 0, address: '127.0.0.1' } })
  return {
    txt,
    address: `127.0.0.1:${server.addresses().udp!.port}`,
    close: () => server.close(),
  }
}
