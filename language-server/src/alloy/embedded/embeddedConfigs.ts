/**
 * Alloy configs written inside YAML: the data keys ending in `.alloy` of a Kubernetes ConfigMap (one config per
 * ConfigMap, as Alloy loads the folder it is mounted as), the Alloy Helm chart's `alloy.configMap.content`, and
 * `extraConfig` values of charts that build on it (k8s-monitoring). Each is given a name of its own (the YAML
 * file's path, `#`, where it is) and its text mapped onto the YAML source.
 */
import { isMap, isScalar, parseAllDocuments, type Document, type Node as YamlNode, type Scalar, type YAMLMap } from "yaml";
import { format, type SourceFile } from "../syntax";
import { mappedScalarText, type MappedText } from "./yamlScalarText";

export interface EmbeddedConfig {
  /** A file name for the checks: `<yaml file>#<where>/<file>`; the keys of one ConfigMap share a folder. */
  name: string;
  /** Where it is, for people: `alloy.configMap.content`, `ConfigMap alloy-config: config.alloy`. */
  where: string;
  /** The ConfigMap it comes from (for pairing with the workloads that mount it). */
  configMap?: string;
  mapped: MappedText;
}

function scalarValue(map: unknown, key: string): string | undefined {
  if (!isMap(map)) return undefined;
  const v = (map as YAMLMap).get(key, true) as YamlNode | undefined;
  return isScalar(v) && typeof v.value === "string" ? v.value : undefined;
}

function configMapConfigs(file: string, text: string, doc: Document, index: number): EmbeddedConfig[] {
  const name = scalarValue((doc.contents as YAMLMap).get("metadata", true), "name") ?? `#${index}`;
  const data = (doc.contents as YAMLMap).get("data", true);
  if (!isMap(data)) return [];
  const out: EmbeddedConfig[] = [];
  for (const item of (data as YAMLMap).items) {
    const key = isScalar(item.key) ? String(item.key.value) : undefined;
    if (key === undefined || !key.endsWith(".alloy") || !isScalar(item.value)) continue;
    const mapped = mappedScalarText(text, item.value as Scalar);
    if (mapped === undefined) continue;
    out.push({ name: `${file}#${index}/ConfigMap/${name}/${key}`, where: `ConfigMap ${name}: ${key}`, configMap: name, mapped });
  }
  return out;
}

/** Helm values: `…alloy.configMap.content` and `…extraConfig` strings, anywhere in the tree. */
function valuesConfigs(file: string, text: string, node: unknown, keys: string[], out: EmbeddedConfig[]): void {
  if (!isMap(node)) return;
  for (const item of (node as YAMLMap).items) {
    if (!isScalar(item.key)) continue;
    const path = [...keys, String(item.key.value)];
    const joined = path.join(".");
    if (isScalar(item.value) && (joined.endsWith("alloy.configMap.content") || path[path.length - 1] === "extraConfig")) {
      const mapped = mappedScalarText(text, item.value as Scalar);
      if (mapped !== undefined && mapped.text.trim() !== "") out.push({ name: `${file}#${joined}/config.alloy`, where: joined, mapped });
    } else valuesConfigs(file, text, item.value, path, out);
  }
}

/** Where a byte offset of an embedded config's parse is in the YAML text (an index into it). */
export function yamlIndex(config: EmbeddedConfig, source: SourceFile, offset: number): number {
  const clamped = Math.max(0, Math.min(offset, source.bytes.length));
  const charIndex = new TextDecoder().decode(source.bytes.subarray(0, clamped)).length;
  return config.mapped.sourceIndex[Math.min(charIndex, config.mapped.sourceIndex.length - 1)];
}

/**
 * The YAML text with an embedded config formatted as `alloy fmt` does, or undefined when it is formatted
 * already, has syntax errors, or is not a literal block scalar (`|`, `|-`) that can be rewritten line by line.
 */
export function formatEmbedded(yaml: string, config: EmbeddedConfig): string | undefined {
  const block = config.mapped.block;
  if (block === undefined || block.chomping === "keep") return undefined;
  const result = format(config.mapped.text, config.name);
  if (!result.ok || !result.changed) return undefined;
  const pad = " ".repeat(block.indent);
  const lines = result.text
    .replace(/\n$/, "")
    .split("\n")
    .map((l) => (l === "" ? "" : pad + l));
  const eol = block.contentEnd > block.contentStart && yaml[block.contentEnd - 1] === "\n" ? "\n" : "";
  return yaml.slice(0, block.contentStart) + lines.join("\n") + eol + yaml.slice(block.contentEnd);
}

/** `parsed`: the file's YAML documents when the caller has parsed them already (saves parsing again). */
export function embeddedConfigs(file: string, text: string, parsed?: readonly Document[]): EmbeddedConfig[] {
  if (!/\.ya?ml$/i.test(file) || !/\.alloy\s*:|configMap|extraConfig/.test(text)) return [];
  let docs: readonly Document[];
  try {
    docs = parsed ?? (parseAllDocuments(text) as Document[]);
  } catch {
    return [];
  }
  if (!Array.isArray(docs)) return [];
  const out: EmbeddedConfig[] = [];
  docs.forEach((doc, i) => {
    const kind = scalarValue(doc.contents, "kind");
    if (kind === "ConfigMap") out.push(...configMapConfigs(file, text, doc, i));
    else if (kind === undefined) valuesConfigs(file, text, doc.contents, [], out);
  });
  return out;
}
