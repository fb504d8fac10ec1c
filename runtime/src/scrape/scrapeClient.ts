/**
 * HTTP/1.1 GETs to one origin over a few kept-alive connections: what a node needs to scrape the target
 * farm. Why not node:http: in a node process (with the lab's V8 flags) its client costs 1.7× the CPU per
 * request of this one at the lab's rate — `npm run bench -- scrape` measures both.
 * One request at a time per connection (no pipelining). A request that fails on a reused connection before
 * any answer came is tried once more on a new one, since the server may have closed it just as we wrote.
 */
import net from "node:net";
import { HttpParseError, HttpResponseParser, type ResponseHead, type ResponseSink } from "./httpResponseParser";

export type ScrapeOutcome = { ok: true; status: number } | { ok: false; error: string };

interface Request {
  path: string;
  timeoutMs: number;
  onBody(chunk: Uint8Array): void;
  done(outcome: ScrapeOutcome): void;
  retried: boolean;
}

/** One kept-alive connection; it reads its responses itself. */
class Connection implements ResponseSink {
  readonly parser = new HttpResponseParser(this);
  current: Request | undefined;
  /** A response has been read on it (so a failure before the next answer may be a server-side close). */
  used = false;
  answered = false;
  status = 0;
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly socket: net.Socket,
    private readonly onEnd: (conn: Connection, reusable: boolean) => void,
  ) {}

  head(head: ResponseHead): void {
    this.status = head.status;
  }

  body(chunk: Uint8Array): void {
    this.current?.onBody(chunk);
  }

  end(reusable: boolean): void {
    this.onEnd(this, reusable);
  }
}

/** A path we send as is: no spaces or line breaks that could split the request. */
const SAFE_PATH = /^\/[\x21-\x7e]*$/;

export class ScrapeClient {
  private readonly idle: Connection[] = [];
  private readonly all = new Set<Connection>();
  private readonly queue: Request[] = [];
  private closed = false;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly maxConnections = 4,
  ) {}

  /** A client for the origin of an http:// URL. */
  static forUrl(url: string): ScrapeClient {
    const u = new URL(url);
    if (u.protocol !== "http:") throw new Error(`scrape client speaks http only, not ${u.protocol}`);
    return new ScrapeClient(u.hostname.replace(/^\[|\]$/g, ""), Number(u.port || 80));
  }

  /** GETs `path`, handing the body on as it arrives; `done` is called exactly once. */
  get(path: string, timeoutMs: number, onBody: (chunk: Uint8Array) => void, done: (outcome: ScrapeOutcome) => void): void {
    if (this.closed) return done({ ok: false, error: "client closed" });
    if (!SAFE_PATH.test(path)) return done({ ok: false, error: `unsafe request path ${JSON.stringify(path)}` });
    this.queue.push({ path, timeoutMs, onBody, done, retried: false });
    this.pump();
  }

  /** Closes every connection; requests still out fail. */
  close(): void {
    this.closed = true;
    for (const r of this.queue.splice(0)) r.done({ ok: false, error: "client closed" });
    for (const c of [...this.all]) this.drop(c, "client closed");
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const conn = this.idle.pop() ?? (this.all.size < this.maxConnections ? this.connect() : undefined);
      if (conn === undefined) return;
      this.start(conn, this.queue.shift()!);
    }
  }

  private connect(): Connection {
    const socket = net.connect({ host: this.host, port: this.port });
    socket.setNoDelay(true);
    const conn = new Connection(socket, (c, reusable) => this.finish(c, reusable));
    this.all.add(conn);
    socket.on("data", (chunk: Buffer) => {
      conn.answered = true;
      try {
        conn.parser.push(chunk);
      } catch (err) {
        if (!(err instanceof HttpParseError)) throw err;
        this.drop(conn, `bad response: ${err.message}`);
      }
    });
    socket.on("error", (err) => this.drop(conn, err.message));
    socket.on("close", () => {
      if (conn.current !== undefined) {
        try {
          conn.parser.close();
        } catch (err) {
          if (!(err instanceof HttpParseError)) throw err;
        }
      }
      this.drop(conn, "connection closed before the response was complete");
    });
    return conn;
  }

  private start(conn: Connection, req: Request): void {
    conn.current = req;
    conn.answered = false;
    conn.status = 0;
    conn.parser.reset();
    conn.timer = setTimeout(() => this.drop(conn, `no complete response within ${req.timeoutMs} ms`, false), req.timeoutMs);
    conn.socket.write(
      `GET ${req.path} HTTP/1.1\r\nHost: ${this.host.includes(":") ? `[${this.host}]` : this.host}:${this.port}\r\nUser-Agent: alloy-cluster-lab\r\n` +
        `Accept: text/plain;version=0.0.4;q=1,*/*;q=0.1\r\nAccept-Encoding: identity\r\nX-Prometheus-Scrape-Timeout-Seconds: ${req.timeoutMs / 1000}\r\n\r\n`,
    );
  }

  private finish(conn: Connection, reusable: boolean): void {
    const req = conn.current!;
    clearTimeout(conn.timer);
    conn.current = undefined;
    conn.used = true;
    req.done({ ok: true, status: conn.status });
    if (reusable && !this.closed) {
      this.idle.push(conn);
      this.pump();
    } else {
      this.drop(conn, "");
    }
  }

  /** Ends a connection; its request fails, or is tried again once if it may never have reached the server. */
  private drop(conn: Connection, error: string, mayRetry = true): void {
    if (!this.all.delete(conn)) return;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    clearTimeout(conn.timer);
    conn.socket.destroy();
    const req = conn.current;
    conn.current = undefined;
    if (req !== undefined) {
      if (mayRetry && conn.used && !conn.answered && !req.retried && !this.closed) {
        req.retried = true;
        this.queue.unshift(req);
      } else {
        req.done({ ok: false, error });
      }
    }
    this.pump();
  }
}
