/**
 * The shared Alloy library: what Alloy and Go do, written down once for the language server, the lab and the
 * command line. No editor types and no lab code in here; everything outside this folder imports it through
 * this file only.
 *
 * - syntax: scanner → parser → tree → printer (`alloy fmt`), Go string quoting;
 * - values: constant expressions and Alloy's conversions when decoding into an argument;
 * - catalog: facts about Alloy's components and config blocks;
 * - clusterFlags, go: the `--cluster.*` flag table and checks, Go's durations, host:port and name suggestions;
 * - clustering: the components that use the cluster, their shard keys, and per-node values;
 * - checks: config checks (catalog, modules, references, clustering) and workspace checks;
 * - commandLines, embedded, workspace: `alloy run` lines in deployment files, configs inside YAML, modules on disk.
 */
export * from "./syntax";
export * from "./values/staticValue";
export * from "./values/valueConversion";
export * from "./catalog/alloyCatalog";
export * from "./clusterFlags/clusterFlagSpec";
export * from "./clusterFlags/clusterFlagCheck";
export * from "./go/goDuration";
export * from "./go/hostPort";
export * from "./go/closestName";
export * from "./clustering/clusteredComponents";
export * from "./clustering/perNodeValues";
export * from "./checks/checkFiles";
export * from "./checks/configChecks";
export type * from "./checks/finding";
export * from "./checks/commandLineChecks";
export * from "./checks/workspaceChecks";
export * from "./checks/clusteredTargets";
export * from "./checks/targetFlow";
export * from "./checks/codeCatalog";
export * from "./commandLines/alloyRuns";
export * from "./commandLines/shellWords";
export * from "./embedded/embeddedConfigs";
export * from "./embedded/yamlScalarText";
export * from "./workspace/moduleFiles";
export * from "./workspace/workspaceFiles";
