import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { HttpParseError, HttpResponseParser, MAX_HEAD_BYTES } from "../../../runtime/src/scrape/httpResponseParser";

interface Read {
  status: number[];
  body: string;
  ends: boolean[];
}

/** Feeds `wire` in pieces of `step` bytes (0: all at once) and records what the parser reported. */
function read(wire: string, step = 0, closeAfter = false): Read {
  const out: Read = { status: [], body: "", ends: [] };
  const parser = new HttpResponseParser({
    head: (h) => out.status.push(h.status),
    body: (c) => (out.body += Buffer.from(c).toString("latin1")),
    end: (reusable) => out.ends.push(reusable),
  });
  const bytes = Buffer.from(wire, "latin1");
  const n = step === 0 ? bytes.length : step;
  for (let i = 0; i < bytes.length; i += n) parser.push(bytes.subarray(i, i + n));
  if (closeAfter) parser.close();
  return out;
}

const CHUNKED = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n";

describe("HTTP response parser", () => {
  it("reads a Content-Length body, whole or one byte at a time", () => {
    const wire = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";
    for (const step of [0, 1, 3, 17]) assert.deepEqual(read(wire, step), { status: [200], body: "hello world", ends: [true] }, `step ${step}`);
  });

  it("reads a chunked body with extensions and trailers, split anywhere", () => {
    for (let step = 1; step <= CHUNKED.length; step++)
      assert.deepEqual(read(CHUNKED, step), { status: [200], body: "hello, world", ends: [true] }, `step ${step}`);
  });

  it("reads a body that runs until the connection closes, and does not reuse that connection", () => {
    assert.deepEqual(read("HTTP/1.1 200 OK\r\n\r\nuntil close", 4, true), { status: [200], body: "until close", ends: [false] });
  });

  it("honours Connection: close and HTTP/1.0's default", () => {
    assert.deepEqual(read("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx").ends, [false]);
    assert.deepEqual(read("HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx").ends, [false]);
    assert.deepEqual(read("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 1\r\n\r\nx").ends, [true]);
  });

  it("skips interim responses; 204 and 304 have no body", () => {
    assert.deepEqual(read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", 5), { status: [200], body: "ok", ends: [true] });
    assert.deepEqual(read("HTTP/1.1 204 No Content\r\n\r\n"), { status: [204], body: "", ends: [true] });
    assert.deepEqual(read("HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"), { status: [304], body: "", ends: [true] });
    assert.deepEqual(read("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"), { status: [404], body: "", ends: [true] });
  });

  it("refuses what is not a well-formed response", () => {
    const bad = [
      "SSH-2.0-OpenSSH\r\n\r\n",
      "HTTP/2 200\r\n\r\n",
      "HTTP/1.1 20 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n",
      "HTTP/1.1 101 Switching Protocols\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxy",
      `HTTP/1.1 200 OK\r\nX: ${"a".repeat(MAX_HEAD_BYTES)}`,
    ];
    for (const wire of bad) assert.throws(() => read(wire), HttpParseError, JSON.stringify(wire.slice(0, 60)));
  });

  it("calls a close before the end an error, and a close after it nothing", () => {
    assert.throws(() => read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 0, true), HttpParseError);
    assert.throws(() => read("HTTP/1.1 200 OK\r\nContent-Le", 0, true), HttpParseError);
    assert.deepEqual(read("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nx", 0, true).ends, [true]);
  });

  it("reads the next response on the same connection after a reset", () => {
    const out: string[] = [];
    const parser = new HttpResponseParser({ head: () => undefined, body: (c) => out.push(Buffer.from(c).toString()), end: () => undefined });
    parser.push(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\na"));
    parser.reset();
    parser.push(Buffer.from(CHUNKED, "latin1"));
    assert.equal(out.join(""), "ahello, world");
  });
});
