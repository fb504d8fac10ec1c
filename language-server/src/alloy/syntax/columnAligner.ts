/**
 * Aligns text in columns the way `alloy fmt` does (elastic tabstops, as Go's text/tabwriter computes them
 * with padding 1, tab width 8, DiscardEmptyColumns and TabIndent):
 *
 * - `\t` and `\v` end a cell (`\t` is a "hard" tab used for indentation); `\n` and `\f` end a line, and `\f`
 *   (like a line with no cell at all) also ends every column block.
 * - A column block is a run of consecutive lines that have a cell in that column; its width is its widest
 *   cell plus one. Cells are padded with spaces; leading empty cells (indentation) become tabs.
 * - Text between two ESCAPE characters is one opaque piece of a cell (tabs and newlines in it are kept); the
 *   ESCAPE characters stay in the output for `trimTrailingSpace`, which removes them.
 * - Widths count code points, as Go counts runes.
 */

export const ESCAPE = "\u0000";

const TAB_WIDTH = 8;
const PADDING = 1;

interface Cell {
  text: string;
  width: number;
  /** Ended by `\t` rather than `\v`: never discarded as an empty column. */
  htab: boolean;
}

/** The last cell of a line is its text after the last tab: it belongs to no column. */
type Line = Cell[];

export function alignColumns(input: string): string {
  const out: string[] = [];
  let lines: Line[] = [];
  let cells: Cell[] = [];
  let text = "";
  let width = 0;
  let escaped = false;

  const endCell = (htab: boolean): void => {
    cells.push({ text, width, htab });
    text = "";
    width = 0;
  };
  const flush = (): void => {
    formatBlock(lines, [], 0, lines.length, out);
    lines = [];
  };

  for (const ch of input) {
    if (escaped) {
      text += ch;
      if (ch === ESCAPE) escaped = false;
      else width++;
      continue;
    }
    switch (ch) {
      case ESCAPE:
        text += ch;
        escaped = true;
        break;
      case "\t":
      case "\v":
        endCell(ch === "\t");
        break;
      case "\n":
      case "\f": {
        endCell(false);
        const cellCount = cells.length;
        lines.push(cells);
        cells = [];
        // A formfeed ends all column blocks; so does a line without tabs, which cannot affect later lines.
        if (ch === "\f" || cellCount === 1) flush();
        break;
      }
      default:
        text += ch;
        width++;
    }
  }
  endCell(false);
  lines.push(cells);
  formatBlock(lines, [], 0, lines.length, out, true);
  return out.join("");
}

/** Writes lines [from, to) with the column widths known so far, working out the next column's blocks. */
function formatBlock(lines: Line[], widths: number[], from: number, to: number, out: string[], lastIsOpen = false): void {
  const column = widths.length;
  let printedUpTo = from;
  for (let i = from; i < to; i++) {
    if (column >= lines[i].length - 1) continue;
    writeLines(lines, widths, printedUpTo, i, out, lastIsOpen);
    // a column block starts at line i
    let blockWidth = 0,
      discardable = true,
      end = i;
    for (; end < to && column < lines[end].length - 1; end++) {
      const c = lines[end][column];
      blockWidth = Math.max(blockWidth, c.width + PADDING);
      if (c.width > 0 || c.htab) discardable = false;
    }
    widths.push(discardable ? 0 : blockWidth);
    formatBlock(lines, widths, i, end, out, lastIsOpen);
    widths.pop();
    printedUpTo = end;
    i = end - 1;
  }
  writeLines(lines, widths, printedUpTo, to, out, lastIsOpen);
}

function writeLines(lines: Line[], widths: number[], from: number, to: number, out: string[], lastIsOpen: boolean): void {
  for (let i = from; i < to; i++) {
    let leading = true; // leading empty cells are indentation: tabs
    const line = lines[i];
    for (let j = 0; j < line.length; j++) {
      const c = line[j];
      if (c.text === "") {
        if (j < widths.length) out.push(padding(0, widths[j], leading));
      } else {
        leading = false;
        out.push(c.text);
        if (j < widths.length) out.push(padding(c.width, widths[j], false));
      }
    }
    // The input's final line has no line break of its own.
    if (!(lastIsOpen && i === lines.length - 1)) out.push("\n");
  }
}

function padding(textWidth: number, cellWidth: number, useTabs: boolean): string {
  if (useTabs) {
    const rounded = Math.ceil(cellWidth / TAB_WIDTH) * TAB_WIDTH;
    return "\t".repeat(Math.ceil((rounded - textWidth) / TAB_WIDTH));
  }
  return " ".repeat(cellWidth - textWidth);
}

/** Removes spaces and tabs before each line break, except inside escaped text, and the ESCAPE characters. */
export function trimTrailingSpace(input: string): string {
  let out = "";
  let pending = "";
  let escaped = false;
  for (const ch of input) {
    if (escaped) {
      if (ch === ESCAPE) escaped = false;
      else out += ch;
      continue;
    }
    if (ch === ESCAPE) {
      out += pending;
      pending = "";
      escaped = true;
    } else if (ch === " " || ch === "\t") {
      pending += ch;
    } else if (ch === "\n") {
      pending = "";
      out += ch;
    } else {
      out += pending + ch;
      pending = "";
    }
  }
  return out;
}
