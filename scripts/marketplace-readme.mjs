// Writes dist/README.marketplace.md: the README as the .vsix carries it. The extension has no public
// repository yet, so links and pictures relative to the repository would be broken in the marketplace (and
// vsce refuses them): a picture becomes its caption, a relative link its text.
import fs from "node:fs";

const readme = fs.readFileSync("README.md", "utf8");
const relative = (target) => !/^[a-z][a-z0-9+.-]*:|^#/i.test(target);
const out = readme
  .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, (whole, alt, target) => (relative(target) ? `*${alt} (a picture in the repository: \`${target}\`)*` : whole))
  .replace(/(?<!!)\[([^\]]+)\]\(([^)\s]+)\)/g, (whole, text, target) => (relative(target) ? text : whole));
fs.mkdirSync("dist", { recursive: true });
fs.writeFileSync("dist/README.marketplace.md", out);
