/**
 * One simulation in a process of its own, for `npm run bench -- drills`: prints {"wallMs", "peakRssMb", "report"}.
 * Arguments: the `alloy-lab simulate` options.
 */
import { simulateCommand } from "../../runtime/src/cli/simulateCommand";

const t0 = performance.now();
let out = "";
void simulateCommand
  .run([...process.argv.slice(2), "--json"], {
    stdout: (t) => (out += t),
    stderr: (t) => process.stderr.write(t),
    readInput: () => Promise.reject(new Error("no input")),
    readInputBytes: () => Promise.reject(new Error("no input")),
  })
  .then((code) => {
    if (code !== 0) process.exit(code);
    const wallMs = Math.round(performance.now() - t0);
    // maxRSS is in kilobytes.
    console.log(JSON.stringify({ wallMs, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), report: JSON.parse(out) }));
  });
