/**
 * `npm run fuzz [-- --syntax N --frames N --socket N --requests N --seed S]`: the long fuzz run (defaults:
 * 1,000,000 syntax inputs, 100,000 frames to the decoder, 100,000 to a real node, 100,000 control API
 * requests). Prints one JSON summary; exit 1 on any failure.
 */
import { fuzzControlApi, fuzzFrameDecoder, fuzzNodeGossip } from "./inputFuzz";
import { fuzzSyntax } from "./syntaxFuzz";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} takes a whole number`);
    process.exit(2);
  }
  return v;
}

void (async () => {
  const seed = option("seed", 1);
  const timed = async <T>(f: () => T | Promise<T>): Promise<T & { seconds: number }> => {
    const t = Date.now();
    const r = await f();
    return { ...r, seconds: (Date.now() - t) / 1000 };
  };
  const syntax = await timed(() => fuzzSyntax(option("syntax", 1_000_000), seed));
  const frames = await timed(() => fuzzFrameDecoder(option("frames", 100_000), seed));
  const socket = await timed(() => fuzzNodeGossip(option("socket", 100_000), seed));
  const requests = await timed(() => fuzzControlApi(option("requests", 100_000), seed));
  const failures = syntax.failures.length + frames.failures.length + socket.failures.length + requests.failures.length;
  console.log(JSON.stringify({ seed, syntax, frames, socket, requests, crashes: failures }, null, 2));
  process.exit(failures === 0 ? 0 : 1);
})();
