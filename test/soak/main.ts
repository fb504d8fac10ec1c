/**
 * `npm run soak [-- --minutes M --nodes N --warm-up-minutes W]`: the long resource-limit runs (default: a
 * 32-node lab for 10 minutes after 4 of warm-up, then the language server with 200 open files under edits
 * for 2 minutes). Prints one JSON object; exit 1 when a limit is broken.
 */
import { soakLab, soakLanguageServer } from "./soak";
import { numberOption } from "../support/options";

const positive = (name: string, fallback: number): number => numberOption(name, fallback, (v) => v > 0, "a positive number");

void (async () => {
  const minutes = positive("minutes", 10);
  // Scraping every second, a node's heap takes about three minutes to reach its working size (measured: RSS
  // rises for 1–3 minutes, then stays flat), so growth is judged after four.
  const lab = await soakLab({
    nodes: positive("nodes", 32),
    targets: 1000,
    warmUpMs: positive("warm-up-minutes", 4) * 60_000,
    durationMs: minutes * 60_000,
    sampleMs: 10_000,
  });
  const server = await soakLanguageServer({ files: 200, durationMs: 120_000 });
  console.log(JSON.stringify({ suite: "soak", lab, server }, null, 2));
  process.exit(lab.maxGrowth < lab.maxGrowthTarget && server.rssMbMax <= server.rssMbTarget ? 0 : 1);
})();
