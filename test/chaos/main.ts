/**
 * `npm run chaos [-- --rounds N --seed S --nodes N --targets N --scrape-interval MS]`: the long chaos run
 * (default 500 rounds). One line per round, then the summary as JSON; exit 1 on any violation.
 */
import { runChaos } from "./chaosRun";

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) {
    console.error(`--${name} takes a whole number`);
    process.exit(2);
  }
  return v;
}

void (async () => {
  const summary = await runChaos({
    rounds: option("rounds", 500),
    seed: option("seed", 7),
    nodes: option("nodes", 7),
    targets: option("targets", 500),
    scrapeIntervalMs: option("scrape-interval", 1000),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(summary));
  process.exit(summary.violations === 0 ? 0 : 1);
})();
