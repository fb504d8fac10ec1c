/**
 * `npm run chaos [-- --rounds N --seed S --nodes N --targets N --scrape-interval MS]`: the long chaos run
 * (default 500 rounds). One line per round, then the summary as JSON; exit 1 on any violation.
 */
import { runChaos } from "./chaosRun";
import { numberOption } from "../support/options";

void (async () => {
  const summary = await runChaos({
    rounds: numberOption("rounds", 500),
    seed: numberOption("seed", 7),
    nodes: numberOption("nodes", 7),
    targets: numberOption("targets", 500),
    scrapeIntervalMs: numberOption("scrape-interval", 1000),
    log: (line) => console.log(line),
  });
  console.log(JSON.stringify(summary));
  process.exit(summary.violations === 0 ? 0 : 1);
})();
