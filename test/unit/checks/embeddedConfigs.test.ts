/** Alloy configs inside YAML: text mapped back onto the YAML source, found in values and ConfigMaps, formatted in place. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseDocument, type Scalar, type YAMLMap } from "yaml";
import { embeddedConfigs, formatEmbedded } from "../../../language-server/src/alloy/embedded/embeddedConfigs";
import { mappedScalarText } from "../../../language-server/src/alloy/embedded/yamlScalarText";

/** The mapped text of `root.key` in a YAML text, and a check that every ordinary character maps onto itself. */
function mapped(yaml: string, key = "v") {
  const node = (parseDocument(yaml).contents as YAMLMap).get(key, true) as Scalar;
  const m = mappedScalarText(yaml, node);
  assert.ok(m, "mapped");
  for (let i = 0; i < m.text.length; i++) {
    if (/[A-Za-z0-9{}=]/.test(m.text[i])) assert.equal(yaml[m.sourceIndex[i]], m.text[i], `character ${i} of ${JSON.stringify(m.text)}`);
  }
  return m;
}

describe("Alloy configs embedded in YAML", () => {
  it("maps literal blocks, double- and single-quoted scalars (escapes, folded lines) onto the source", () => {
    assert.equal(mapped("v: |\n  a {\n    b = 1\n  }\nw: 1\n").text, "a {\n  b = 1\n}\n");
    assert.equal(mapped("v: |-\n    x = 1\n\n    y = 2\n").text, "x = 1\n\ny = 2");
    const dq = mapped('v: "a {\\n\\tb = \\"q\\"\\n}\n  more\n\n  para \\\n  joined"\n');
    assert.equal(dq.text, 'a {\n\tb = "q"\n} more\npara joined');
    assert.equal(mapped("v: 'it''s\n  folded'\n").text, "it's folded");
    // The end maps to just after the text (for a span that ends the config).
    const lit = mapped("v: |\n  ab\n");
    assert.equal(lit.sourceIndex[lit.text.length], "v: |\n  ab\n".length);
  });

  it("finds values' alloy.configMap.content and extraConfig, and each ConfigMap's .alloy keys as one config", () => {
    const values = 'alloy:\n  configMap:\n    content: |\n      logging { }\nalloy-metrics:\n  extraConfig: "prometheus.exporter.self \\"s\\" { }"\n';
    assert.deepEqual(
      embeddedConfigs("/d/values.yaml", values).map((e) => [e.name, e.where, e.mapped.text]),
      [
        ["/d/values.yaml#alloy.configMap.content/config.alloy", "alloy.configMap.content", "logging { }\n"],
        ["/d/values.yaml#alloy-metrics.extraConfig/config.alloy", "alloy-metrics.extraConfig", 'prometheus.exporter.self "s" { }'],
      ],
    );
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a.alloy: |\n    logging { }\n  b.alloy: |\n    tracing { }\n  other.txt: x\n";
    assert.deepEqual(
      embeddedConfigs("/d/cm.yaml", cm).map((e) => [e.name, e.configMap]),
      [
        ["/d/cm.yaml#0/ConfigMap/cfg/a.alloy", "cfg"],
        ["/d/cm.yaml#0/ConfigMap/cfg/b.alloy", "cfg"],
      ],
    );
    assert.deepEqual(embeddedConfigs("/d/x.json", values), []);
  });

  it("formats a literal block in place, keeping its indentation, and leaves quoted and broken ones alone", () => {
    const yaml = 'alloy:\n  configMap:\n    content: |\n      logging {\n      level = "info"\n      }\n\nother: 1\n';
    const [config] = embeddedConfigs("/d/values.yaml", yaml);
    assert.equal(formatEmbedded(yaml, config), 'alloy:\n  configMap:\n    content: |\n      logging {\n      \tlevel = "info"\n      }\n\nother: 1\n');
    const formatted = formatEmbedded(yaml, config)!;
    assert.equal(formatEmbedded(formatted, embeddedConfigs("/d/values.yaml", formatted)[0]), undefined);
    const broken = "alloy:\n  configMap:\n    content: |\n      logging {\n";
    assert.equal(formatEmbedded(broken, embeddedConfigs("/d/values.yaml", broken)[0]), undefined);
    const quoted = 'alloy:\n  configMap:\n    content: "logging {\\nlevel = 1\\n}"\n';
    assert.equal(formatEmbedded(quoted, embeddedConfigs("/d/values.yaml", quoted)[0]), undefined);
  });
});
