import fs from "node:fs";
import {
  checkFiles,
  type FileInput,
  checkCommandLines,
  configWorkspaceDiagnostics,
  deploymentWorkspaceDiagnostics,
  summarizeConfig,
  summarizeRuns,
  moduleReaderFromDisk,
  readCodeCatalog,
  embeddedConfigs,
  yamlIndex,
  workspaceFiles,
  type EmbeddedConfig,
} from "../../../language-server/src/alloy";
import path from "node:path";
import { EXIT_USAGE, parseOptions, type CliCommand } from "./command";
import { CHECK_FORMATS, exitCodeFor, FAIL_ON, formatReport, isCheckFormat, isFailOn, type CheckRow, type ReportContext } from "./checkReport";

/** The package's root: the bundle runs from dist/, beside the README that explains every code. */
const PACKAGE_ROOT = path.join(__dirname, "..");

/** Where the report's rules point: the README's table of codes, on the project's page (package.json's homepage). */
const CODES_SECTION = "what-the-checks-report";

function reportContext(): ReportContext {
  const read = (file: string): string => {
    try {
      return fs.readFileSync(path.join(PACKAGE_ROOT, file), "utf8");
    } catch {
      return ""; // run from source: no README or package.json beside it
    }
  };
  const { version = "0.0.0", homepage = "" } = JSON.parse(read("package.json") || "{}") as { version?: string; homepage?: string };
  const helpUrl = `${homepage.replace(/#.*$/, "")}#${CODES_SECTION}`;
  return { codes: readCodeCatalog(read("README.md")), toolVersion: version, helpUrl, cwd: process.cwd() };
}

/** 1-based line and column (characters) of an index into `text`. */
function lineColumn(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

export const checkCommand: CliCommand = {
  name: "check",
  summary: "check Alloy configs as the language server does (for CI pipelines)",
  help: `Usage: alloy-lab check [--format text|json|sarif|github] [--fail-on error|warning|never] PATH...

Checks Alloy config files (each folder's .alloy files are one config, as Alloy loads a folder; folders are
walked into): syntax errors with Alloy's messages,
unknown components, arguments and blocks, missing required arguments, literal type mismatches, duplicate
labels, references to components that do not exist, and the clustering block's rules. Checks the
\`alloy run\` command lines of deployment files too (Kubernetes manifests, Helm values, compose files,
Dockerfiles, systemd units, shell scripts, env files): every --cluster.* flag, and the traps Alloy only
finds at run time. A folder's .alloy files, YAML files and such deployment files are all checked.

  --format text    one line per problem: FILE:LINE:COLUMN: SEVERITY CODE MESSAGE (the default; byte
                   columns in .alloy files, as Alloy counts)
  --format json    an array of {file, line, column, endLine, endColumn, severity, code, message} (--json)
  --format sarif   SARIF 2.1.0, one rule per code (for GitHub code scanning and other SARIF viewers)
  --format github  GitHub Actions workflow commands (::error file=…,line=…,col=…,title=CODE::message),
                   which annotate the pull request
  --fail-on error|warning|never   which findings make the exit code 1 (default: error)

Exit codes: 0 nothing to fail on, 1 findings at or above --fail-on, 2 bad usage or unreadable path.
`,
  async run(args, io) {
    const parsed = parseOptions(args, { json: { type: "boolean" }, format: { type: "string" }, "fail-on": { type: "string" } });
    const usage = (message: string): number => {
      io.stderr(`alloy-lab check: ${message}\n`);
      return EXIT_USAGE;
    };
    if (typeof parsed === "string") return usage(parsed);
    if (parsed.positionals.length === 0) return usage("give at least one file or folder");
    const format = parsed.values.format ?? (parsed.values.json ? "json" : "text");
    if (!isCheckFormat(format)) return usage(`--format must be one of ${CHECK_FORMATS.join(", ")}`);
    if (parsed.values.json && format !== "json") return usage("--json and --format disagree");
    const failOn = parsed.values["fail-on"] ?? "error";
    if (!isFailOn(failOn)) return usage(`--fail-on must be one of ${FAIL_ON.join(", ")}`);
    const paths = parsed.positionals;
    const inputs: FileInput[] = [];
    const deployments: { file: string; text: string; checked: ReturnType<typeof checkCommandLines> }[] = [];
    /** Configs embedded in YAML files, by the name they are checked under. */
    const embedded = new Map<string, { file: string; text: string; config: EmbeddedConfig }>();
    for (const p of paths) {
      try {
        for (const file of workspaceFiles(p)) {
          if (file.endsWith(".alloy")) inputs.push({ name: file, content: fs.readFileSync(file) });
          else {
            const text = fs.readFileSync(file, "utf8");
            deployments.push({ file, text, checked: checkCommandLines(file, text) });
            for (const config of embeddedConfigs(file, text)) {
              embedded.set(config.name, { file, text, config });
              inputs.push({ name: config.name, content: config.mapped.text });
            }
          }
        }
      } catch (err) {
        io.stderr(`alloy-lab check: cannot read ${p}: ${(err as Error).message}\n`);
        return EXIT_USAGE;
      }
    }
    const reports = checkFiles(inputs, { readModule: moduleReaderFromDisk([process.cwd()]) });
    // The files given are one workspace: configs and deployments must agree on clustering.
    const configs = reports.map((r) => summarizeConfig(r.name, r.parsed));
    const summaries = deployments.filter((d) => d.checked.runs.length > 0).map((d) => summarizeRuns(d.file, d.checked.runs));
    const rows: CheckRow[] = reports.flatMap((r) =>
      [
        ...r.diagnostics,
        ...configWorkspaceDiagnostics(
          configs.find((c) => c.file === r.name)!,
          summaries,
          configs,
        ),
      ].map((d) => {
        const inYaml = embedded.get(r.name);
        if (inYaml !== undefined) {
          // Where the config is written in the YAML file.
          const s = lineColumn(inYaml.text, yamlIndex(inYaml.config, r.source, d.start)),
            e = lineColumn(inYaml.text, yamlIndex(inYaml.config, r.source, d.end));
          return {
            file: inYaml.file,
            line: s.line,
            column: s.column,
            endLine: e.line,
            endColumn: e.column,
            severity: d.severity,
            code: d.code,
            message: `${d.message} (in ${inYaml.config.where})`,
          };
        }
        const s = r.source.position(d.start),
          e = r.source.position(d.end);
        return { file: r.name, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: d.severity, code: d.code, message: d.message };
      }),
    );
    for (const { file, text, checked } of deployments) {
      const workspaceFindings = checked.runs.length > 0 ? deploymentWorkspaceDiagnostics(summarizeRuns(file, checked.runs), configs) : [];
      for (const d of [...checked.diagnostics, ...workspaceFindings]) {
        const s = lineColumn(text, d.start),
          e = lineColumn(text, d.end);
        rows.push({ file, line: s.line, column: s.column, endLine: e.line, endColumn: e.column, severity: d.severity, code: d.code, message: d.message });
      }
    }
    io.stdout(formatReport(rows, format, reportContext()));
    return exitCodeFor(rows, failOn);
  },
};
