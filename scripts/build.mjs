// Bundles each program with esbuild into dist/: `node scripts/build.mjs [--watch]`. The bundles are minified,
// as they ship (what the tests run is what users get), with source maps in separate files beside them
// (`node --enable-source-maps` and VS Code's debugger read them; the .vsix leaves them out).
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
  sourcemap: "linked",
  minify: true,
  external: ["vscode"],
  logLevel: "info",
};

if (process.argv.includes("--watch")) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
