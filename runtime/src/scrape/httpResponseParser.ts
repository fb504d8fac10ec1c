/**
 * Reads HTTP/1.1 responses from a byte stream, as a scrape needs them: the status, a few headers, and the
 * body handed on as it arrives (never buffered whole). Bodies framed by Content-Length, by chunked transfer
 * coding, or by the connection closing; 1xx interim responses skipped; 204 and 304 have no body. Pure: the
 * client feeds it bytes. Anything it cannot read is an HttpParseError, and the connection is not reused.
 */

export class HttpParseError extends Error {}

export interface ResponseHead {
  status: number;
  /** Lower-case names; a repeated header keeps its values joined with ", ". */
  headers: ReadonlyMap<string, string>;
}

export interface ResponseSink {
  head(head: ResponseHead): void;
  body(chunk: Uint8Array): void;
  /** The response is complete; `reusable`: the connection may carry another request. */
  end(reusable: boolean): void;
}

/** Larger header blocks are refused: a scrape target has no business sending them. */
export const MAX_HEAD_BYTES = 64 * 1024;
const MAX_CHUNK_LINE = 1024;

type Phase = "head" | "fixed" | "chunk-size" | "chunk-data" | "chunk-end" | "trailers" | "until-close" | "done";

export class HttpResponseParser {
  private phase: Phase = "head";
  /** Bytes of an unfinished head or line. */
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0;
  private reusable = true;

  constructor(private readonly sink: ResponseSink) {}

  /** Ready for the response to the next request on the same connection. */
  reset(): void {
    this.phase = "head";
    this.pending = Buffer.alloc(0);
  }

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      switch (this.phase) {
        case "head": {
          const head = this.upTo(chunk, at, "\r\n\r\n", MAX_HEAD_BYTES, "response head");
          if (head === undefined) return;
          at = head.next;
          this.readHead(head.text.toString("latin1"));
          break;
        }
        case "fixed":
        case "chunk-data": {
          const n = Math.min(this.remaining, chunk.length - at);
          this.sink.body(chunk.subarray(at, at + n));
          at += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            if (this.phase === "fixed") this.finish();
            else this.phase = "chunk-end";
          }
          break;
        }
        case "chunk-end": {
          const end = this.upTo(chunk, at, "\r\n", 2, "chunk end");
          if (end === undefined) return;
          at = end.next;
          this.phase = "chunk-size";
          break;
        }
        case "chunk-size": {
          const line = this.upTo(chunk, at, "\r\n", MAX_CHUNK_LINE, "chunk size line");
          if (line === undefined) return;
          at = line.next;
          const m = /^([0-9a-fA-F]{1,12})(?:[ \t]*;[^\r\n]*)?\r\n$/.exec(line.text.toString("latin1"));
          if (m === null) throw new HttpParseError("chunk size is not a hexadecimal number");
          this.remaining = parseInt(m[1], 16);
          this.phase = this.remaining === 0 ? "trailers" : "chunk-data";
          break;
        }
        case "trailers": {
          const line = this.upTo(chunk, at, "\r\n", MAX_HEAD_BYTES, "trailer");
          if (line === undefined) return;
          at = line.next;
          if (line.text.length === 2) this.finish();
          break;
        }
        case "until-close":
          this.sink.body(chunk.subarray(at));
          return;
        case "done":
          throw new HttpParseError("bytes after the response, before a request was sent");
      }
    }
  }

  /**
   * The connection closed while a request was out: ends a body that runs until close; anything else
   * unfinished is an error.
   */
  close(): void {
    if (this.phase === "until-close") {
      this.phase = "done";
      this.sink.end(false);
    } else if (this.phase !== "done") {
      throw new HttpParseError("connection closed before the response was complete");
    }
  }

  private finish(): void {
    this.phase = "done";
    this.sink.end(this.reusable);
  }

  /**
   * The bytes up to and including `terminator`, with the index in `chunk` just after it; undefined while it
   * has not come yet (what came is kept). Past `limit` bytes, an error.
   */
  private upTo(chunk: Buffer, at: number, terminator: string, limit: number, what: string): { text: Buffer; next: number } | undefined {
    const before = this.pending.length;
    const joined = before === 0 ? chunk.subarray(at) : Buffer.concat([this.pending, chunk.subarray(at)]);
    const found = joined.indexOf(terminator, Math.max(0, before - terminator.length + 1), "latin1");
    const end = found < 0 ? joined.length : found + terminator.length;
    if (end > limit) throw new HttpParseError(`${what} is longer than ${limit} bytes`);
    if (found < 0) {
      this.pending = Buffer.from(joined);
      return undefined;
    }
    this.pending = Buffer.alloc(0);
    return { text: joined.subarray(0, end), next: at + end - before };
  }

  private readHead(text: string): void {
    const lines = text.slice(0, -4).split("\r\n");
    const status = /^HTTP\/1\.([01]) ([1-9]\d\d)(?: .*)?$/.exec(lines[0]);
    if (status === null) throw new HttpParseError(`not an HTTP/1.x status line: ${JSON.stringify(lines[0].slice(0, 80))}`);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/.exec(line);
      if (m === null) throw new HttpParseError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      const name = m[1].toLowerCase();
      const before = headers.get(name);
      headers.set(name, before === undefined ? m[2] : `${before}, ${m[2]}`);
    }
    const code = Number(status[2]);
    if (code < 200 && code !== 101) return; // interim (100 Continue, 103 Early Hints): the real one follows
    if (code === 101) throw new HttpParseError("the server switched protocols");
    const connection = (headers.get("connection") ?? "").toLowerCase();
    this.reusable = status[1] === "1" ? !/\bclose\b/.test(connection) : /\bkeep-alive\b/.test(connection);
    this.sink.head({ status: code, headers });
    const coding = headers.get("transfer-encoding");
    const length = headers.get("content-length");
    if (code === 204 || code === 304) {
      this.finish();
    } else if (coding !== undefined) {
      if (!/(^|,)\s*chunked\s*$/i.test(coding)) throw new HttpParseError(`unsupported transfer coding: ${coding}`);
      this.phase = "chunk-size";
    } else if (length !== undefined) {
      const values = new Set(length.split(",").map((v) => v.trim()));
      const [only] = values;
      if (values.size !== 1 || !/^\d{1,15}$/.test(only)) throw new HttpParseError(`bad Content-Length: ${length}`);
      this.remaining = Number(only);
      if (this.remaining === 0) this.finish();
      else this.phase = "fixed";
    } else {
      this.reusable = false;
      this.phase = "until-close";
    }
  }
}
