/**
 * Diagnostics for an open `.alloy` document: its syntax errors and the config checks, run over its whole
 * folder (Alloy loads a folder as one config): open documents as the editor has them, other files from disk.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Diagnostic } from "vscode-languageserver";
import {
  checkFiles,
  configWorkspaceDiagnostics,
  parse,
  summarizeConfig,
  type ConfigSummary,
  type DeploymentSummary,
  type FileInput,
  type ModuleReader,
  type ParseResult,
} from "../alloy";
import { toLspDiagnostics } from "./lspDiagnostics";
import { toPosition } from "./positions";

/** The file path of a `file:` URI, or undefined for other schemes (untitled documents). */
function filePath(uri: string): string | undefined {
  return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
}

/** What the server knows of an open document: its text and parse. */
export type OpenDocument = (uri: string) => { text: string; parsed: ParseResult } | undefined;

/** Parses of files on disk that are not open, kept while the file's size and modification time stay the same. */
const diskParses = new Map<string, { mtimeMs: number; size: number; parsed: ParseResult }>();
const MAX_DISK_PARSES = 2000;

function parsedFromDisk(file: string): FileInput {
  const stat = fs.statSync(file);
  const cached = diskParses.get(file);
  if (cached !== undefined && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return { name: file, content: "", parsed: cached.parsed };
  const parsed = parse(fs.readFileSync(file), file);
  if (diskParses.size >= MAX_DISK_PARSES) diskParses.delete(diskParses.keys().next().value!);
  diskParses.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, parsed });
  return { name: file, content: "", parsed };
}

/** The config `uri` belongs to: the .alloy files of its folder, open ones as the editor has them. */
function folderInputs(uri: string, openDoc: OpenDocument): FileInput[] {
  const self = openDoc(uri)!;
  const own = filePath(uri);
  if (own === undefined) return [{ name: uri, content: self.text, parsed: self.parsed }];
  const dir = path.dirname(own);
  let names: string[] = [];
  try {
    names = fs.readdirSync(dir).filter((f) => f.endsWith(".alloy"));
  } catch {
    // the folder is gone or unreadable: check the document alone
  }
  const inputs: FileInput[] = [{ name: own, content: self.text, parsed: self.parsed }];
  for (const n of names) {
    const file = path.join(dir, n);
    if (file === own) continue;
    const open = openDoc(pathToFileURL(file).toString());
    try {
      inputs.push(open ? { name: file, content: open.text, parsed: open.parsed } : parsedFromDisk(file));
    } catch {
      // unreadable sibling: leave it out
    }
  }
  return inputs;
}

/** The document's diagnostics: its folder's checks, plus the workspace's verdict on its clustering. */
export function configDiagnostics(
  uri: string,
  openDoc: OpenDocument,
  deployments: readonly DeploymentSummary[],
  configs: readonly ConfigSummary[],
  readModule?: ModuleReader,
): Diagnostic[] {
  const inputs = folderInputs(uri, openDoc);
  const report = checkFiles(inputs, { readModule, only: inputs[0].name }).find((r) => r.name === inputs[0].name)!;
  // The workspace index summarized this version already (it is updated before diagnostics are computed).
  const summary = configs.find((c) => c.file === report.name) ?? summarizeConfig(report.name, report.parsed);
  const workspace = configWorkspaceDiagnostics(summary, deployments, configs);
  return toLspDiagnostics([...report.diagnostics, ...workspace], (offset) => toPosition(report.source, offset));
}
