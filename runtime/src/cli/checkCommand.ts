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
  embeddedConfigs,
  yamlIndex,
  workspaceFiles,
  type EmbeddedConfig,
} from "../../../language-server/src/alloy";
import { EXIT_USAGE, parseOptions, type CliCommand } from "./command";

interface Row {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
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
  help: `Usage: alloy-lab check [--json] PATH...

Checks Alloy config files (each folder's .alloy files are one config, as Alloy loads a folder; folders are
walked into): syntax errors with Alloy's messages,
unknown components, arguments and blocks, missing required arguments, literal type mismatches, duplicate
labels, references to components that do not exist, and the clustering block's rules. Checks the
\`alloy run\` command lines of deployment files too (Kubernetes manifests, Helm values, compose files,
Dockerfiles, systemd units, shell scripts, env files): every --cluster.* flag, and the traps Alloy only
finds at run time. A folder's .alloy files, YAML files and such deployment files are all checked.

Prints one line per problem: FILE:LINE:COLUMN: SEVERITY CODE MESSAGE (byte column), or with --json an array
of {file, line, column, endLine, endColumn, severity, code, message}.
Exit codes: 0 no errors, 1 errors found, 2 bad usage or unreadable path.
`,
  async run(args, io) {
    const parsed = parseOptions(args, { json: { type: "boolean" } });
    if (typeof parsed === "string" || parsed.positionals.length === 0) {
      io.stderr(`alloy-lab check: ${typeof parsed === "string" ? parsed : "give at least one file or folder"}\n`);
      return EXIT_USAGE;
    }
    const json = parsed.values.json ?? false;
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
    const rows: Row[] = reports.flatMap((r) =>
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
    if (json) io.stdout(JSON.stringify(rows, null, 2) + "\n");
    else for (const r of rows) io.stdout(`${r.file}:${r.line}:${r.column}: ${r.severity} ${r.code} ${r.message}\n`);
    return rows.some((r) => r.severity === "error") ? 1 : 0;
  },
};
