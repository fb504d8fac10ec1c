import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fuzzControlApi, fuzzFrameDecoder, fuzzNodeGossip } from "../fuzz/inputFuzz";

// The short forms of `npm run fuzz` for what reaches the lab from outside.
describe("malformed gossip frames and control API requests (fuzzed)", { timeout: 300_000 }, () => {
  it("the frame decoder rejects 5,000 malformed frames with a FrameError and nothing else", () => {
    const r = fuzzFrameDecoder(5_000, 1);
    assert.deepEqual(r.failures.slice(0, 5), []);
    assert.equal(r.rejected, 5_000);
  });

  it("a real node drops and counts 2,000 malformed frames on its gossip socket and keeps serving", async () => {
    // No oversized frames here: each closes the connection before the rest of its batch is read, and every
    // frame must be counted. (`npm run fuzz` sends them too.)
    const r = await fuzzNodeGossip(2_000, 2, false);
    assert.deepEqual(r.failures, []);
    assert.equal(r.inputs, 2_000);
    assert.equal(r.rejected, 2_000);
  });

  it("a real control API answers 1,000 malformed requests with 4xx errors, counts them, and keeps serving", async () => {
    const r = await fuzzControlApi(1_000, 3);
    assert.deepEqual(r.failures, []);
    assert.equal(r.rejected, 1_000);
  });
});
