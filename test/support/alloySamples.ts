/** Alloy configurations to exercise the syntax library with: our fixtures, plus Alloy's corpus when present. */
import fs from "node:fs";
import path from "node:path";

export const FIXTURES_DIR = path.join(__dirname, "..", "fixtures", "alloy");
/** shared/alloy-conformance beside the project root, when this checkout has it. */
export const CONFORMANCE_DIR = path.join(__dirname, "..", "..", "..", "shared", "alloy-conformance");

export function hasConformance(): boolean {
  return fs.existsSync(path.join(CONFORMANCE_DIR, "cases.json"));
}

export function sampleConfigs(): { name: string; bytes: Uint8Array }[] {
  const dirs = [FIXTURES_DIR, ...(hasConformance() ? [path.join(CONFORMANCE_DIR, "corpus")] : [])];
  return dirs.flatMap((dir) =>
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".alloy"))
      .sort()
      .map((f) => ({ name: f, bytes: fs.readFileSync(path.join(dir, f)) })),
  );
}
