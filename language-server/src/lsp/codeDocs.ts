/**
 * Links each diagnostic's code to where it is explained: its row in the README's table of checks, shipped
 * beside the server, opened at that line (`file:…/README.md#L120`, which editors open at the line).
 */
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import type { Diagnostic } from "vscode-languageserver";
import { readCodeCatalog } from "../alloy";

export class CodeDocs {
  private readonly lineOf = new Map<string, number>();
  private readonly base: string;

  constructor(readmePath: string) {
    this.base = pathToFileURL(readmePath).toString();
    let text: string;
    try {
      text = fs.readFileSync(readmePath, "utf8");
    } catch {
      return; // no README beside the server: codes stay plain
    }
    for (const [code, entry] of readCodeCatalog(text)) this.lineOf.set(code, entry.line);
  }

  /** Where a code is explained, or undefined when the README does not list it. */
  href(code: string): string | undefined {
    const line = this.lineOf.get(code);
    return line === undefined ? undefined : `${this.base}#L${line}`;
  }

  link(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    return diagnostics.map((d) => {
      const href = d.code === undefined ? undefined : this.href(String(d.code));
      return href === undefined ? d : { ...d, codeDescription: { href } };
    });
  }
}
