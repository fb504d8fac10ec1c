/** The boundaries between the rooms, read from the imports (they are the architecture; this keeps them so). */
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";

const ROOT = path.join(__dirname, "..", "..");
const LIBRARY = "language-server/src/alloy";

/** Every relative import of the .ts files under `dir`, as [importing file, imported path] (repository-relative). */
function imports(dir: string): [string, string][] {
  const files = fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
  return files.flatMap((f) => {
    const file = path.posix.join(dir, f.split(path.sep).join("/"));
    const text = fs.readFileSync(path.join(ROOT, file), "utf8");
    return [...text.matchAll(/from\s+"(\.[^"]+)"/g)].map(
      (m) => [file, path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]))] as [string, string],
    );
  });
}

const inside = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

describe("architecture", () => {
  it("everything outside the shared Alloy library reaches it through its entry point only", () => {
    const outside = ["runtime/src", "extension/src", "language-server/src/lsp"].flatMap(imports);
    assert.deepEqual(
      outside.filter(([, to]) => inside(to, LIBRARY) && to !== LIBRARY && to !== `${LIBRARY}/index`),
      [],
    );
  });

  it("the shared library imports neither the LSP adapter nor the lab", () => {
    assert.deepEqual(
      imports(LIBRARY).filter(([, to]) => !inside(to, LIBRARY) && !inside(to, "language-server/data")),
      [],
    );
  });

  it("the pure cores (ring, ownership, membership) import only each other and the shared library", () => {
    const cores = ["runtime/src/ring", "runtime/src/ownership", "runtime/src/membership"];
    const stray = cores.flatMap(imports).filter(([, to]) => !cores.some((c) => inside(to, c)) && to !== LIBRARY);
    assert.deepEqual(stray, []);
  });

  it("the node, the supervisor and the extension share lab messages through runtime/src/protocol only", () => {
    // The node talks to the supervisor, the extension to the supervisor's control API: neither reaches into
    // the supervisor's room, and the protocol depends on nothing that runs a lab.
    const node = imports("runtime/src/node").filter(([, to]) => inside(to, "runtime/src/lab"));
    const extension = imports("extension/src").filter(([, to]) => inside(to, "runtime/src/lab") || inside(to, "runtime/src/node"));
    const protocol = imports("runtime/src/protocol").filter(([, to]) => ["lab", "node", "cli", "alloyApi", "farm"].some((d) => inside(to, `runtime/src/${d}`)));
    assert.deepEqual([...node, ...extension, ...protocol], []);
  });
});
