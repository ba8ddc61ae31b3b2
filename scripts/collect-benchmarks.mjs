// Joins the per-package benchmark sections in docs/benchmarks/ into docs/benchmarks.md, so the
// figures of one `pnpm bench` run can be read on one page.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const sectionsDirectory = join(root, "docs", "benchmarks");
const order = ["srp.md", "transports.md", "session.md"];

const files = (await readdir(sectionsDirectory)).filter((name) => name.endsWith(".md"));
files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));

const sections = [];
for (const file of files) {
  const text = (await readFile(join(sectionsDirectory, file), "utf8")).trim();
  // A section that starts with its own top-level heading is nested one level down.
  sections.push(text.startsWith("# ") ? text.replace(/^(#+) /gm, "#$1 ") : text);
}

const header = [
  "# Benchmarks",
  "",
  "Written by `pnpm bench` from the sections in `docs/benchmarks/`; each section names the",
  "machine, the command and the date of its run. Figures are medians of repeated runs with their",
  "spread, next to a baseline measured in the same run.",
].join("\n");

await writeFile(join(root, "docs", "benchmarks.md"), `${[header, ...sections].join("\n\n")}\n`);
console.log(`docs/benchmarks.md: ${sections.length} sections`);

function rank(name) {
  const index = order.indexOf(name);
  return index === -1 ? order.length : index;
}
