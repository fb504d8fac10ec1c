import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { componentNames, lookupComponent } from "../../../language-server/src/alloy/catalog/alloyCatalog";
import { CLUSTERED_COMPONENTS, CLUSTERING_BLOCK_COMPONENTS } from "../../../language-server/src/alloy/clustering/clusteredComponents";

describe("the clustered-component table", () => {
  it("lists exactly the components whose catalog entry has a clustering block, plus mimir.rules.kubernetes", () => {
    const withBlock = componentNames()
      .filter((n) => lookupComponent(n)!.entry.blocks.some((b) => b.name === "clustering"))
      .sort();
    assert.deepEqual([...CLUSTERING_BLOCK_COMPONENTS].sort(), withBlock);
    assert.deepEqual(
      CLUSTERED_COMPONENTS.filter((c) => !c.clusteringBlock).map((c) => c.name),
      ["mimir.rules.kubernetes"],
    );
  });
});
