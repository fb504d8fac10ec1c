/**
 * A unified diff of two texts by lines (`diff -u` style, 3 lines of context), for `alloy-lab fmt --diff`.
 * Lines are matched with Myers' O(ND) algorithm, so a formatting change to a large file costs little. Pure.
 */

type Edit = { kind: "same" | "remove" | "add"; line: string };

/**
 * Past this many differences the edit script is not searched for: the differing middle is written as removed
 * and added whole (a valid diff, just not the shortest), so memory stays small (it grows as its square).
 */
const MAX_EDIT_DISTANCE = 2000;

/** An edit script from `a` to `b`: the common ends kept, the middle by Myers (1986) when it is near enough. */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middleA = a.slice(head, a.length - tail),
    middleB = b.slice(head, b.length - tail);
  const middle = shortestEdits(middleA, middleB) ?? [
    ...middleA.map((line): Edit => ({ kind: "remove", line })),
    ...middleB.map((line): Edit => ({ kind: "add", line })),
  ];
  const same = (line: string): Edit => ({ kind: "same", line });
  return [...a.slice(0, head).map(same), ...middle, ...a.slice(a.length - tail).map(same)];
}

/** Myers' shortest edit script, or undefined past MAX_EDIT_DISTANCE. Keeps each step's frontier for the walk back. */
function shortestEdits(a: readonly string[], b: readonly string[]): Edit[] | undefined {
  const n = a.length,
    m = b.length;
  const limit = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  /** frontiers[d][k + d]: the furthest x on diagonal k after d edits. */
  const frontiers: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= limit && !found; d++) {
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) found = true;
    }
    frontiers.push(v.slice(offset - d, offset + d + 1));
  }
  if (!found) return undefined;
  const at = (d: number, k: number): number => frontiers[d][k + d];
  const edits: Edit[] = [];
  let x = n,
    y = m;
  for (let d = frontiers.length - 1; d > 0; d--) {
    const k = x - y;
    const prevK = k === -d || (k !== d && at(d - 1, k - 1) < at(d - 1, k + 1)) ? k + 1 : k - 1;
    const prevX = at(d - 1, prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ kind: "same", line: a[--x] });
      y--;
    }
    if (x === prevX) edits.push({ kind: "add", line: b[--y] });
    else edits.push({ kind: "remove", line: a[--x] });
  }
  while (x > 0 && y > 0) {
    edits.push({ kind: "same", line: a[--x] });
    y--;
  }
  return edits.reverse();
}

const CONTEXT = 3;

/** Lines of a text, without the final line break's empty line. */
function lines(text: string): string[] {
  const all = text.split("\n");
  if (all[all.length - 1] === "") all.pop();
  return all;
}

/** A hunk's range as diff -u writes it: the count only when it is not 1. */
const range = (start: number, count: number): string => (count === 1 ? `${start}` : `${start},${count}`);

/** `--- a/NAME` / `+++ b/NAME` and the hunks; empty when the texts are equal. */
export function unifiedDiff(name: string, before: string, after: string): string {
  if (before === after) return "";
  const edits = editScript(lines(before), lines(after));
  let out = `--- a/${name}\n+++ b/${name}\n`;
  let i = 0;
  // Line numbers (1-based) in each text at edit i.
  const aLine: number[] = [],
    bLine: number[] = [];
  let la = 1,
    lb = 1;
  for (const e of edits) {
    aLine.push(la);
    bLine.push(lb);
    if (e.kind !== "add") la++;
    if (e.kind !== "remove") lb++;
  }
  while (i < edits.length) {
    if (edits[i].kind === "same") {
      i++;
      continue;
    }
    // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change within reach.
    const start = Math.max(0, i - CONTEXT);
    let end = i;
    for (let j = i; j < edits.length; j++) {
      if (edits[j].kind !== "same") end = j;
      else if (j - end > 2 * CONTEXT) break;
    }
    const stop = Math.min(edits.length, end + CONTEXT + 1);
    const hunk = edits.slice(start, stop);
    const aCount = hunk.filter((e) => e.kind !== "add").length;
    const bCount = hunk.filter((e) => e.kind !== "remove").length;
    // As diff -u: an empty side's start is the line before it.
    const aStart = aCount === 0 ? aLine[start] - 1 : aLine[start];
    const bStart = bCount === 0 ? bLine[start] - 1 : bLine[start];
    out += `@@ -${range(aStart, aCount)} +${range(bStart, bCount)} @@\n`;
    for (const e of hunk) out += `${e.kind === "same" ? " " : e.kind === "remove" ? "-" : "+"}${e.line}\n`;
    i = stop;
  }
  return out;
}
