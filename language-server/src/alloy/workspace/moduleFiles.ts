/**
 * Reads the module an `import.file` names from disk, for the checks: a file, or a folder's `.alloy` files (not
 * its subfolders), as Alloy's import.file collects them. Alloy resolves a relative path against its working
 * directory, which only the deployment knows; we try the importing file's folder, then the roots given.
 */
import fs from "node:fs";
import path from "node:path";
import type { ConfigFile, ModuleReader } from "../checks/configChecks";
import { parse } from "../syntax";

const MAX_MODULE_FILES = 200;

function readModuleAt(target: string): ConfigFile[] | undefined {
  try {
    const stat = fs.statSync(target);
    const files = stat.isDirectory()
      ? fs
          .readdirSync(target, { withFileTypes: true })
          .filter((e) => e.isFile() && e.name.endsWith(".alloy"))
          .map((e) => path.join(target, e.name))
          .sort()
          .slice(0, MAX_MODULE_FILES)
      : [target];
    return files.map((f) => ({ name: f, parsed: parse(fs.readFileSync(f), f) }));
  } catch {
    return undefined;
  }
}

/** A module reader over the file system; `roots` are tried after the importing file's folder. */
export function moduleReaderFromDisk(roots: readonly string[] = []): ModuleReader {
  const cache = new Map<string, ConfigFile[] | undefined>();
  return (fromFile, filename) => {
    const candidates = path.isAbsolute(filename) ? [filename] : [path.dirname(fromFile), ...roots].map((r) => path.resolve(r, filename));
    for (const c of candidates) {
      if (!cache.has(c)) cache.set(c, fs.existsSync(c) ? readModuleAt(c) : undefined);
      const found = cache.get(c);
      if (found !== undefined) return found;
    }
    return undefined;
  };
}
