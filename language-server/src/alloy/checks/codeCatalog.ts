/**
 * What each finding's code means, read from the table of codes in the README (`| \`code\` | severity | what it
 * means |`), which is the one place codes are explained: the editor links a code to its row, and the CLI's
 * SARIF output describes its rules with it. Pure: handed the README's text.
 */

export interface CodeEntry {
  /** 1-based line of the code's row in the README. */
  line: number;
  severity: string;
  /** The explanation, as plain text (Markdown backticks removed). */
  description: string;
}

const ROW = /^\| `([a-z-]+(?:\/[a-z-]+)?)` \| ([a-z]+) \| (.*) \|$/;

export function readCodeCatalog(readme: string): Map<string, CodeEntry> {
  const codes = new Map<string, CodeEntry>();
  readme.split("\n").forEach((text, i) => {
    const m = ROW.exec(text);
    if (m !== null && !codes.has(m[1])) codes.set(m[1], { line: i + 1, severity: m[2], description: m[3].replaceAll("`", "") });
  });
  return codes;
}

/** The first sentence of an explanation: a rule's short description. */
export function firstSentence(description: string): string {
  const m = /^(.*?[.:])(\s|$)/.exec(description);
  return m === null ? description : m[1].replace(/:$/, ".");
}
