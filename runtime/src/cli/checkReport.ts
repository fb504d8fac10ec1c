/**
 * `alloy-lab check`'s findings in the formats CI tools read: text lines, JSON, SARIF 2.1.0 (GitHub code
 * scanning and other SARIF viewers) and GitHub Actions workflow commands (annotations on the pull request).
 * Pure: handed the findings and what each code means.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { firstSentence, type CodeEntry } from "../../../language-server/src/alloy";

/** One finding, positioned: 1-based lines and columns (bytes in .alloy files, characters elsewhere). */
export interface CheckRow {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

export const CHECK_FORMATS = ["text", "json", "sarif", "github"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export const FAIL_ON = ["error", "warning", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

export const isCheckFormat = (s: string): s is CheckFormat => (CHECK_FORMATS as readonly string[]).includes(s);
export const isFailOn = (s: string): s is FailOn => (FAIL_ON as readonly string[]).includes(s);

/** What the report needs besides the findings. */
export interface ReportContext {
  codes: ReadonlyMap<string, CodeEntry>;
  toolVersion: string;
  /** Where codes are explained (the README's table of codes): every rule's help link. */
  helpUrl: string;
  /** File paths are written relative to it when they are inside it. */
  cwd: string;
}

export function exitCodeFor(rows: readonly CheckRow[], failOn: FailOn): number {
  if (failOn === "never") return 0;
  const failing = failOn === "warning" ? ["error", "warning"] : ["error"];
  return rows.some((r) => failing.includes(r.severity)) ? 1 : 0;
}

export function formatReport(rows: readonly CheckRow[], format: CheckFormat, context: ReportContext): string {
  switch (format) {
    case "text":
      return rows.map((r) => `${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`).join("");
    case "json":
      return JSON.stringify(rows, null, 2) + "\n";
    case "github":
      return rows.map((r) => githubCommand(r, context)).join("");
    case "sarif":
      return JSON.stringify(sarifLog(rows, context), null, 2) + "\n";
  }
}

/** A path as a report names it: relative to the working folder when inside it, with forward slashes. */
function reportPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative.split(path.sep).join("/");
}

const GITHUB_LEVEL: Record<string, string> = { error: "error", warning: "warning" };

/** GitHub's escaping: `%`, CR and LF in a message; those and `:` and `,` in a property. */
const escapeData = (s: string): string => s.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
const escapeProperty = (s: string): string => escapeData(s).replaceAll(":", "%3A").replaceAll(",", "%2C");

function githubCommand(r: CheckRow, context: ReportContext): string {
  const properties = [
    `file=${escapeProperty(reportPath(r.file, context.cwd))}`,
    `line=${r.line}`,
    `col=${r.column}`,
    `endLine=${r.endLine}`,
    `endColumn=${r.endColumn}`,
    `title=${escapeProperty(r.code)}`,
  ];
  return `::${GITHUB_LEVEL[r.severity] ?? "notice"} ${properties.join(",")}::${escapeData(r.message)}\n`;
}

const SARIF_LEVEL: Record<string, string> = { error: "error", warning: "warning" };

/** Every code with its explanation is a rule (the codes the README lists, then any other the findings use). */
function sarifLog(rows: readonly CheckRow[], context: ReportContext): object {
  const ids = [...context.codes.keys()];
  for (const r of rows) if (!ids.includes(r.code)) ids.push(r.code);
  const rules = ids.map((id) => {
    const entry = context.codes.get(id);
    return {
      id,
      shortDescription: { text: entry === undefined ? id : firstSentence(entry.description) },
      ...(entry !== undefined && { fullDescription: { text: entry.description } }),
      // The table of codes has no anchor per row (a fragment cannot hold a second `#`): its section for all.
      helpUri: context.helpUrl,
      defaultConfiguration: { level: SARIF_LEVEL[entry?.severity ?? "warning"] ?? "note" },
    };
  });
  const cwdUri = pathToFileURL(context.cwd + path.sep).toString();
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "alloy-lab", version: context.toolVersion, informationUri: context.helpUrl, rules } },
        originalUriBaseIds: { SRCROOT: { uri: cwdUri } },
        results: rows.map((r) => {
          const relative = reportPath(r.file, context.cwd);
          const inside = relative !== r.file || !path.isAbsolute(r.file);
          return {
            ruleId: r.code,
            ruleIndex: ids.indexOf(r.code),
            level: SARIF_LEVEL[r.severity] ?? "note",
            message: { text: r.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: inside ? { uri: encodeURI(relative), uriBaseId: "SRCROOT" } : { uri: pathToFileURL(r.file).toString() },
                  region: { startLine: r.line, startColumn: r.column, endLine: r.endLine, endColumn: r.endColumn },
                },
              },
            ],
          };
        }),
      },
    ],
  };
}
