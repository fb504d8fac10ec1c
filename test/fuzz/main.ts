/**
 * `npm run fuzz [-- --syntax N --frames N --socket N --requests N --seed S]`: the long fuzz run (defaults:
 * 1,000,000 syntax inputs, 100,000 frames to the decoder, 100,000 to a real node, 100,000 control API
 * requests). Prints one JSON summary; exit 1 on any failure.
 */
import { fuzzControlApi, fuzzFrameDecoder, fuzzNodeGossip } from "./inputFuzz";
import { fuzzSyntax } from "./syntaxFuzz";
import { numberOption } from "../support/options";

void (async () => {
  const seed = numberOption("seed", 1);
  const timed = async <T>(f: () => T | Promise<T>): Promise<T & { seconds: number }> => {
    const t = Date.now();
    const r = await f();
    return { ...r, seconds: (Date.now() - t) / 1000 };
  };
  const syntax = await timed(() => fuzzSyntax(numberOption("syntax", 1_000_000), seed));
  const frames = await timed(() => fuzzFrameDecoder(numberOption("frames", 100_000), seed));
  const socket = await timed(() => fuzzNodeGossip(numberOption("socket", 100_000), seed));
  const requests = await timed(() => fuzzControlApi(numberOption("requests", 100_000), seed));
  const failures = syntax.failures.length + frames.failures.length + socket.failures.length + requests.failures.length;
  console.log(JSON.stringify({ seed, syntax, frames, socket, requests, crashes: failures }, null, 2));
  process.exit(failures === 0 ? 0 : 1);
})();
