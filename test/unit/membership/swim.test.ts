import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeFrame, encodeFrame, FrameError, openFrame, sealFrame, type MemberRecord } from "../../../runtime/src/membership/gossipFrames";
import { changesPeers, SwimMembership, type MembershipEvent } from "../../../runtime/src/membership/swimMembership";
import { pushPullIntervalMs, suspicionTimeoutMs, TIMING_PROFILES } from "../../../runtime/src/membership/swimTiming";
import { addrOf, SwimNetwork } from "../../support/swimNetwork";

const ALL_UP = (names: string[]): Record<string, string> => Object.fromEntries(names.map((n) => [n, "alive/participant"]));

describe("SWIM membership (pure, simulated network)", () => {
  it("three nodes joining one seed converge, and a fourth and fifth join", () => {
    const net = new SwimNetwork();
    net.add("a");
    net.add("b", ["a"]);
    net.add("c", ["a"]);
    assert.ok(net.until(() => net.agree(ALL_UP(["a", "b", "c"]))) < 1000);
    net.add("d", ["b"]);
    net.add("e", ["c"]);
    assert.ok(net.until(() => net.agree(ALL_UP(["a", "b", "c", "d", "e"]))) < 1000);
  });

  it("declares a crashed node suspect, then dead, on every survivor", () => {
    const net = new SwimNetwork();
    for (const n of ["a", "b", "c", "d"]) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b", "c", "d"])));
    net.crash("c");
    const took = net.until(() => net.agree({ ...ALL_UP(["a", "b", "d"]), c: "dead/participant" }));
    assert.ok(took < 2000, `took ${took} ms`);
  });

  it("spreads a graceful leave and a state change", () => {
    const net = new SwimNetwork();
    for (const n of ["a", "b", "c"]) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b", "c"])));
    net.nodes.get("b")!.setState("terminating");
    assert.ok(net.until(() => net.agree({ ...ALL_UP(["a", "c"]), b: "alive/terminating" })) < 500);
    net.nodes.get("b")!.leave(net.now);
    assert.ok(net.until(() => ["a", "c"].every((o) => net.view(o, "b") === "left/terminating")) < 500);
  });

  it("lets a restarted node with the same name refute its death and take part again", () => {
    const net = new SwimNetwork();
    for (const n of ["a", "b", "c"]) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b", "c"])));
    net.crash("b");
    net.until(() => net.view("a", "b") === "dead/participant");
    net.add("b", ["a"]);
    assert.ok(net.until(() => net.agree(ALL_UP(["a", "b", "c"]))) < 2000);
  });

  it("splits into two views under a partition and merges again after healing and a rejoin", () => {
    const net = new SwimNetwork();
    const all = ["a", "b", "c", "d"];
    for (const n of all) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(all)));
    net.partition([
      ["a", "b"],
      ["c", "d"],
    ]);
    net.until(() => net.view("a", "c") === "dead/participant" && net.view("c", "a") === "dead/participant");
    assert.equal(net.view("a", "b"), "alive/participant");
    assert.equal(net.view("d", "c"), "alive/participant");
    net.partition(undefined);
    net.nodes.get("c")!.join(["a.test:1"]);
    assert.ok(net.until(() => net.agree(ALL_UP(all)), 10_000) < 10_000);
  });

  it("lets a second node with a name in use join, as memberlist does, and ignores its address (a conflict)", () => {
    const net = new SwimNetwork();
    net.add("a");
    net.add("b", ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b"])));
    const first = net.nodes.get("a")!;
    first.takeEvents();
    const from = { name: "b", addr: "elsewhere:1", incarnation: 5, status: "alive", state: "participant", stateLamport: 9 } as const;
    first.receive({ kind: "join", from, members: [from] }, "elsewhere:1", net.now);
    assert.deepEqual(
      first
        .takeOutgoing()
        .filter((o) => o.to === "elsewhere:1")
        .map((o) => o.frame.kind),
      ["join-ok"],
    );
    assert.equal(first.member("b")!.addr, addrOf("b"), "the first address keeps the name");
    // Its join record and its view both name it: each is a conflict, and nothing else happens.
    assert.deepEqual(
      new Set(first.takeEvents().map((e) => (e.kind === "conflict" ? `conflict ${e.member.addr} ${e.otherAddr}` : e.kind))),
      new Set([`conflict ${addrOf("b")} elsewhere:1`]),
    );
  });

  it("gives a name to a new address once its member left, but not while it is only dead (no reclaim time)", () => {
    const net = new SwimNetwork();
    for (const n of ["a", "b", "c"]) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b", "c"])));
    const observer = net.nodes.get("a")!;
    const at = (addr: string, incarnation: number) => ({ name: "c", addr, incarnation, status: "alive", state: "participant", stateLamport: 50 }) as const;
    net.crash("c");
    net.until(() => net.view("a", "c").startsWith("dead"));
    observer.receive({ kind: "gossip", from: "b", updates: [at("new-c:1", 9)] }, addrOf("b"), net.now);
    assert.equal(observer.member("c")!.addr, addrOf("c"), "a dead member's name is not free yet");
    net.run(30_000); // memberlist forgets the dead after GossipToTheDeadTime
    observer.receive({ kind: "gossip", from: "b", updates: [at("new-c:1", 0)] }, addrOf("b"), net.now);
    assert.deepEqual([observer.member("c")!.addr, observer.member("c")!.status], ["new-c:1", "alive"]);
  });
});

describe("SWIM membership: a pod replaced under its name", () => {
  it("answers a join with its view from before the join, so the new pod hears its predecessor left and refutes it", () => {
    const rand = (): number => 0.5;
    const seed = SwimMembership.create("a", "a:1", TIMING_PROFILES.alloy, rand, 0);
    const old = (status: "alive" | "left"): MemberRecord => ({ name: "c", addr: "c:1", incarnation: 0, status, state: "participant", stateLamport: 3 });
    seed.receive({ kind: "gossip", from: "c", updates: [old("alive")] }, "c:1", 0);
    seed.receive({ kind: "gossip", from: "c", updates: [old("left")] }, "c:1", 10);
    seed.takeOutgoing();
    // The replacement joins under the same name from a new address.
    const pod = SwimMembership.create("c", "c:2", TIMING_PROFILES.alloy, rand, 20);
    pod.join(["a:1"]);
    const [join] = pod.takeOutgoing();
    seed.receive(join.frame, "c:2", 20);
    const reply = seed.takeOutgoing().find((o) => o.frame.kind === "join-ok")!;
    assert.equal(reply.frame.kind === "join-ok" && reply.frame.members.find((m) => m.name === "c")?.status, "left", "memberlist sends its state, then merges");
    assert.equal(seed.member("c")!.addr, "c:2", "the seed takes the new address (the name was free)");
    pod.receive(reply.frame, "a:1", 21);
    assert.ok(
      pod.takeEvents().some((e) => e.kind === "refuted"),
      "the new pod refutes the leave it heard of",
    );
    assert.equal(pod.member("c")!.incarnation, 1);
    // Its alive, one incarnation up, reaches the seed; the old pod's leave, still gossiped, no longer wins.
    pod.tick(Math.max(22, pod.nextTickAt()));
    for (const o of pod.takeOutgoing()) if (o.to === "a:1") seed.receive(o.frame, "c:2", 22);
    seed.receive({ kind: "gossip", from: "b", updates: [old("left")] }, "b:1", 23);
    assert.deepEqual([seed.member("c")!.status, seed.member("c")!.incarnation, seed.member("c")!.addr], ["alive", 1, "c:2"]);
  });

  it("tells ownership only of what changes the peers (as ckit's OnPeersChanged), not of rejoins, suspicions or conflicts", () => {
    const m: MemberRecord = { name: "b", addr: "b:1", incarnation: 0, status: "alive", state: "participant", stateLamport: 1 };
    const changing: MembershipEvent[] = [
      { kind: "joined", member: m },
      { kind: "dead", member: m },
      { kind: "left", member: m },
      { kind: "state", member: m, previous: "viewer" },
    ];
    const quiet: MembershipEvent[] = [
      { kind: "suspect", member: m },
      { kind: "alive", member: m },
      { kind: "refuted", incarnation: 2 },
      { kind: "join-ok", via: "a:1" },
      { kind: "conflict", member: m, otherAddr: "b:2" },
      { kind: "join-refused", addr: "a:1", reason: "x" },
    ];
    assert.deepEqual(changing.map(changesPeers), [true, true, true, true]);
    assert.deepEqual(quiet.map(changesPeers), [false, false, false, false, false, false]);
  });

  it("scales the push-pull interval with the cluster as memberlist does", () => {
    const t = TIMING_PROFILES.alloy;
    assert.deepEqual(
      [10, 32, 33, 64, 65, 150, 300].map((n) => pushPullIntervalMs(t, n) / t.pushPullIntervalMs),
      [1, 1, 2, 2, 3, 4, 5],
    );
  });
});

describe("SWIM membership: its own health (memberlist's awareness)", () => {
  it("does not blame itself for a dead peer when the peers it asked to probe say they got no answer either", () => {
    const net = new SwimNetwork();
    const all = ["a", "b", "c", "d", "e"];
    for (const n of all) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(all)));
    net.crash("e");
    // Each failed probe of e is followed by nacks from the helpers: no penalty, at any moment.
    let worst = 0;
    net.until(() => {
      worst = Math.max(worst, ...["a", "b", "c", "d"].map((n) => net.nodes.get(n)!.healthScore));
      return ["a", "b", "c", "d"].every((o) => net.view(o, "e").startsWith("dead"));
    });
    assert.equal(worst, 0);
  });

  it("blames itself when it is the one cut off: its helpers' nacks never arrive", () => {
    const net = new SwimNetwork();
    const all = ["a", "b", "c", "d"];
    for (const n of all) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(all)));
    net.partition([["a"], ["b", "c", "d"]]);
    net.run(3000);
    assert.ok(net.nodes.get("a")!.healthScore > 0, `a's health score ${net.nodes.get("a")!.healthScore}`);
  });
});

describe("SWIM membership: waking and rejoining", () => {
  it("wakes an idle member only for its probes and push-pulls, not on a fixed short tick", () => {
    const net = new SwimNetwork();
    const all = ["a", "b", "c", "d", "e"];
    for (const n of all) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(all)));
    net.run(2000);
    net.ticks.clear();
    net.run(10_000);
    // fast profile: a probe every 250 ms and a push-pull a second, about 5 a second (acks here are instant)
    for (const n of all) assert.ok((net.ticks.get(n) ?? 0) <= 100, `${n} woke ${net.ticks.get(n)} times in 10 s`);
    assert.ok(net.agree(ALL_UP(all)));
  });

  it("a join carries the joiner's view, so a member it has for dead hears it and refutes", () => {
    const net = new SwimNetwork();
    for (const n of ["b", "c"]) net.add(n, n === "b" ? [] : ["b"]);
    net.until(() => net.agree(ALL_UP(["b", "c"])));
    const c = net.nodes.get("c")!;
    const b = net.nodes.get("b")!;
    const seenByB = b.snapshot().map((m) => (m.name === "c" ? { ...m, status: "dead" as const } : m));
    c.takeOutgoing();
    c.receive({ kind: "join", from: b.member("b")!, members: seenByB }, "b.test:1", net.now);
    assert.equal(c.member("c")!.incarnation, 1, "c raised its incarnation to refute");
    assert.ok(c.takeEvents().some((e) => e.kind === "refuted"));
  });
});

describe("SWIM membership: merging a peer's whole view (memberlist's mergeState)", () => {
  it("suspects, not kills, a live member that a push-pull says is dead; gossip of a death is taken as is", () => {
    const net = new SwimNetwork();
    for (const n of ["a", "b", "c"]) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b", "c"])));
    const a = net.nodes.get("a")!;
    const c = net.nodes.get("c")!;
    a.takeEvents();
    // What the other side of a healed partition says: b is dead.
    const othersView = c.snapshot().map((m) => (m.name === "b" ? { ...m, status: "dead" as const } : m));
    a.receive({ kind: "push-pull", from: "c", members: othersView, reply: false, lamport: 0 }, "c.test:1", net.now);
    assert.equal(a.member("b")!.status, "suspect");
    assert.deepEqual(
      a.takeEvents().map((e) => e.kind),
      ["suspect"],
    );
    // b hears it is suspected and refutes: alive again, nobody saw it die.
    net.until(() => net.agree(ALL_UP(["a", "b", "c"])));
    assert.equal(a.member("b")!.status, "alive");
    assert.ok(!a.takeEvents().some((e) => e.kind === "dead"));
    // The same news as gossip (a dead message) is believed at once.
    const dead = { ...a.member("b")!, status: "dead" as const };
    a.receive({ kind: "gossip", from: "c", updates: [dead] }, "c.test:1", net.now);
    assert.equal(a.member("b")!.status, "dead");
  });
});

describe("SWIM membership: ckit's Lamport clock and states", () => {
  it("moves the clock past every time it observes, so push-pulls make the clocks climb together", () => {
    const net = new SwimNetwork();
    for (const n of ["a", "b"]) net.add(n, n === "a" ? [] : ["a"]);
    net.until(() => net.agree(ALL_UP(["a", "b"])));
    const a = net.nodes.get("a")!;
    const before = a.lamportTime;
    a.receive({ kind: "push-pull", from: "b", members: [], reply: false, lamport: before + 10 }, "b.test:1", net.now);
    assert.equal(a.lamportTime, before + 11, "observing t moves the clock to t + 1");
    a.receive({ kind: "push-pull", from: "b", members: [], reply: false, lamport: 3 }, "b.test:1", net.now);
    assert.equal(a.lamportTime, before + 11, "an older time changes nothing");
    // Push-pulls alone keep moving both clocks (a second of the fast profile has one).
    const start = Math.min(a.lamportTime, net.nodes.get("b")!.lamportTime);
    net.run(5000);
    assert.ok(Math.min(a.lamportTime, net.nodes.get("b")!.lamportTime) > start + 2);
  });

  it("moves a node only forward: viewer → participant → terminating", () => {
    const net = new SwimNetwork();
    net.add("a", []);
    const a = net.nodes.get("a")!;
    a.setState("participant");
    a.setState("terminating");
    a.setState("participant");
    a.setState("viewer");
    assert.equal(a.member("a")!.state, "terminating");
  });
});

describe("gossip frames", () => {
  it("round-trip through the codec", () => {
    const frame = {
      kind: "ping" as const,
      seq: 3,
      from: "a",
      updates: [{ name: "b", addr: "x:1", incarnation: 2, status: "suspect" as const, state: "participant" as const, stateLamport: 9 }],
    };
    assert.deepEqual(decodeFrame(encodeFrame(frame)), frame);
  });

  it("rejects malformed frames with a FrameError, never anything else", () => {
    const bad = [
      "",
      "nope",
      "[]",
      "null",
      '{"kind":"ping"}',
      '{"kind":"what"}',
      '{"kind":"ping","seq":-1,"from":"a","updates":[]}',
      '{"kind":"ping","seq":1e400,"from":"a","updates":[]}',
      '{"kind":"gossip","from":"a","updates":[{"name":"b"}]}',
      `{"kind":"hello","cluster":"${"x".repeat(300)}","from":"a","addr":"b"}`,
      Uint8Array.of(0xff, 0xfe),
      "x".repeat(2 << 20),
    ];
    for (const b of bad) assert.throws(() => decodeFrame(b), FrameError, String(b).slice(0, 40));
  });

  it("seals frames with the lab's secret and opens only frames sealed with it", () => {
    const secret = Buffer.alloc(32, 7);
    const frame = { kind: "ack" as const, seq: 1, from: "a", updates: [] };
    const sealed = sealFrame(frame, secret);
    assert.deepEqual(openFrame(sealed, secret), frame);
    assert.deepEqual(openFrame(Buffer.from(sealed), secret), frame);
    assert.deepEqual(openFrame(sealFrame(frame, undefined), undefined), frame);
    const refused = [
      encodeFrame(frame), // not sealed
      sealFrame(frame, Buffer.alloc(32, 8)), // another lab's secret
      sealed.replace('"seq":1', '"seq":2'), // tampered with
      sealed.slice(0, 40),
      "",
    ];
    for (const r of refused) assert.throws(() => openFrame(r, secret), FrameError, r);
    assert.throws(() => openFrame(sealed, undefined), FrameError, "a node without a secret refuses sealed frames");
  });

  it("rejects names and addresses a node could not use (found by the fuzzer: a NUL address crashed the node that dialed it)", () => {
    const m = (fields: object): string =>
      JSON.stringify({
        kind: "gossip",
        from: "a",
        updates: [{ name: "b", addr: "127.0.0.1:1", incarnation: 0, status: "alive", state: "viewer", stateLamport: 0, ...fields }],
      });
    for (const bad of [m({ addr: "\u0000" }), m({ addr: "nohost" }), m({ addr: "h:0" }), m({ addr: "h:70000" }), m({ name: "" }), m({ name: "a\nb" })]) {
      assert.throws(() => decodeFrame(bad), FrameError, bad);
    }
    assert.throws(() => decodeFrame('{"kind":"hello","cluster":"","from":"","addr":"127.0.0.1:1"}'), FrameError);
    assert.equal(decodeFrame(m({ addr: "alloy-0.alloy.monitoring.svc:12345" })).kind, "gossip");
    assert.equal(decodeFrame(m({ addr: "[::1]:12345" })).kind, "gossip");
  });
});

describe("SWIM membership: deadlines in fractional time (a simulation's clock)", () => {
  it("declares a suspect dead at the deadline it asks to be woken for, even where since + timeout − since rounds short", () => {
    const timing = TIMING_PROFILES.alloy;
    const m = SwimMembership.create("a", "a:1", timing, () => 0.5, 0);
    const record = (name: string, status: MemberRecord["status"] = "alive"): MemberRecord => ({
      name,
      addr: `${name}:1`,
      incarnation: 0,
      status,
      state: "participant",
      stateLamport: 1,
    });
    m.receive({ kind: "gossip", from: "b", updates: [record("b"), record("c")] }, "b:1", 0);
    const timeout = suspicionTimeoutMs(timing, 3);
    let since = 1000.1;
    while (since + timeout - since >= timeout) since += 0.37;
    m.receive({ kind: "gossip", from: "b", updates: [record("c", "suspect")] }, "b:1", since);
    for (let i = 0; i < 100 && m.member("c")!.status === "suspect"; i++) m.tick(m.nextTickAt());
    assert.equal(m.member("c")!.status, "dead");
  });
});
