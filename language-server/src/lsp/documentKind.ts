/**
 * Whether an open document is Alloy configuration, decided from its name and content and never from the
 * editor's language id: editors call Alloy `alloy`, `river`, `grafana-alloy` or nothing, and YAML `yaml`,
 * `yaml.docker-compose`, `helm`… Documents that are not Alloy are read for `alloy run` command lines.
 */

/** A first statement that opens a block: `name.parts "label" {`. */
const BLOCK_HEADER = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*\s*("([^"\\]|\\.)*"\s*)?\{/;

export function isAlloyDocument(uri: string, text: () => string): boolean {
  const name = decodeURIComponent(uri.slice(uri.lastIndexOf("/") + 1));
  // .river: Grafana Agent Flow's name for the same syntax.
  if (/\.(alloy|river)$/i.test(name)) return true;
  if (/\.[A-Za-z0-9]+$/.test(name)) return false;
  // No extension (an untitled buffer, a file named `config`): Alloy when its first statement opens a block.
  for (const line of text().split("\n", 200)) {
    const t = line.trim();
    if (t === "" || t.startsWith("//") || t.startsWith("/*")) continue;
    return BLOCK_HEADER.test(t);
  }
  return false;
}
