import assert from "node:assert/strict";
import http from "node:http";
import net, { type AddressInfo } from "node:net";
import { after, describe, it } from "node:test";
import { ScrapeClient, type ScrapeOutcome } from "../../runtime/src/scrape/scrapeClient";

const servers: net.Server[] = [];
after(() => servers.forEach((s) => s.close()));

async function listen<S extends net.Server>(server: S): Promise<{ server: S; port: number }> {
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A raw TCP server that answers every connection with `reply(socket)`. */
const rawServer = (reply: (socket: net.Socket) => void): Promise<{ server: net.Server; port: number }> =>
  listen(net.createServer((socket) => socket.once("data", () => reply(socket)).on("error", () => undefined)));

function get(client: ScrapeClient, path: string, timeoutMs = 2000): Promise<{ outcome: ScrapeOutcome; body: string }> {
  return new Promise((resolve) => {
    let body = "";
    client.get(
      path,
      timeoutMs,
      (c) => (body += Buffer.from(c).toString()),
      (outcome) => resolve({ outcome, body }),
    );
  });
}

describe("scrape client (real sockets)", () => {
  it("keeps connections alive, reads chunked and sized bodies, and reports the status", async () => {
    let connections = 0;
    const { server, port } = await listen(
      http.createServer((req, res) => {
        if (req.url === "/chunked") {
          res.write("a 1\n");
          setTimeout(() => res.end("b 2\n"), 5);
        } else if (req.url === "/sized") {
          res.writeHead(200, { "content-length": 4 }).end("c 3\n");
        } else res.writeHead(404).end("no\n");
      }),
    );
    server.on("connection", () => connections++);
    const client = new ScrapeClient("127.0.0.1", port, 2);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => get(client, i % 2 === 0 ? "/chunked" : "/sized")));
    for (const [i, r] of results.entries()) assert.deepEqual(r, { outcome: { ok: true, status: 200 }, body: i % 2 === 0 ? "a 1\nb 2\n" : "c 3\n" });
    assert.deepEqual(await get(client, "/missing"), { outcome: { ok: true, status: 404 }, body: "no\n" });
    assert.ok(connections <= 2, `${connections} connections for 31 requests`);
    client.close();
  });

  it("tries again on a new connection when the server dropped a kept-alive one just as we asked", async () => {
    // Each connection answers its first request, then drops without answering: the race of a server's
    // keep-alive timeout with our next request.
    const { port } = await listen(
      net.createServer((socket) => {
        let requests = 0;
        socket.on("data", () => (++requests === 1 ? socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok") : socket.destroy()));
      }),
    );
    const client = new ScrapeClient("127.0.0.1", port, 1);
    assert.deepEqual(await get(client, "/"), { outcome: { ok: true, status: 200 }, body: "ok" });
    assert.deepEqual(await get(client, "/"), { outcome: { ok: true, status: 200 }, body: "ok" });
    client.close();
  });

  it("fails a scrape clearly on a timeout, garbage, a cut-off body or a refused connection, and keeps working", async () => {
    const silent = await rawServer(() => undefined);
    const garbage = await rawServer((s) => s.end("SSH-2.0-OpenSSH_9.2\r\n\r\n"));
    const cut = await rawServer((s) => s.end("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"));
    const refused = await rawServer(() => undefined);
    refused.server.close();
    await new Promise((r) => setTimeout(r, 20));
    const cases: [number, RegExp][] = [
      [silent.port, /no complete response within 200 ms/],
      [garbage.port, /bad response: not an HTTP\/1.x status line/],
      [cut.port, /closed before the response was complete/],
      [refused.port, /ECONNREFUSED/],
    ];
    for (const [port, expected] of cases) {
      const client = new ScrapeClient("127.0.0.1", port, 1);
      const { outcome } = await get(client, "/metrics", 200);
      assert.equal(outcome.ok, false);
      assert.match(outcome.ok ? "" : outcome.error, expected);
      assert.equal((await get(client, "/metrics", 200)).outcome.ok, false, "a second scrape is answered too");
      client.close();
    }
  });

  it("refuses a path that could split the request, and fails what is still out when closed", async () => {
    const { port } = await rawServer(() => undefined);
    const client = new ScrapeClient("127.0.0.1", port, 1);
    assert.deepEqual((await get(client, "/a b\r\nX: y")).outcome, { ok: false, error: 'unsafe request path "/a b\\r\\nX: y"' });
    const pending = get(client, "/slow", 5000);
    setTimeout(() => client.close(), 20);
    assert.deepEqual((await pending).outcome, { ok: false, error: "client closed" });
  });
});
