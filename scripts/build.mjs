// Bundles each program with esbuild into dist/: `node scripts/build.mjs [--watch]`.
import * as esbuild from "esbuild";

const programs = [
  { in: "extension/src/extension.ts", out: "extension" },
  { in: "language-server/src/server.ts", out: "server" },
  { in: "runtime/src/node/nodeMain.ts", out: "node" },
  { in: "runtime/src/farm/farmMain.ts", out: "farm" },
  { in: "runtime/src/cli/main.ts", out: "cli" },
];

const options = {
  entryPoints: programs,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  sourcemap: true,
  external: ["vscode"],
  logLevel: "info",
};

if (process.argv.includes("--watch")) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
