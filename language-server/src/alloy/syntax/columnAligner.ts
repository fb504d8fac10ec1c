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

/** A UTF-16 code unit that is the second half of a code point: not counted, as Go counts runes. */
const isLowSurrogate = (c: number): boolean => c >= 0xdc00 && c <= 0xdfff;

export function alignColumns(input: string): string {
  const out: string[] = [];
  let lines: Line[] = [];
  let cells: Cell[] = [];
  // The cell being read is input[cellStart, i); cells are cut out as slices, not built a character at a time.
  let cellStart = 0;
  let width = 0;

  const endCell = (end: number, htab: boolean): void => {
    cells.push({ text: input.slice(cellStart, end), width, htab });
    cellStart = end + 1;
    width = 0;
  };
  const flush = (): void => {
    formatBlock(lines, [], 0, lines.length, out);
    lines = [];
  };

  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    switch (c) {
      case 0: {
        // Escaped text: kept as it is, ESCAPE characters included; what is between them counts.
        const close = input.indexOf(ESCAPE, i + 1);
        const end = close < 0 ? input.length : close;
        for (let j = i + 1; j < end; j++) if (!isLowSurrogate(input.charCodeAt(j))) width++;
        i = end;
        break;
      }
      case 0x09: // \t
      case 0x0b: // \v
        endCell(i, c === 0x09);
        break;
      case 0x0a: // \n
      case 0x0c: {
        // \f
        if (cells.length === 0 && lines.length === 0) {
          // Most lines: no cell, and no column block open. They are written as they are.
          if (c === 0x0a) out.push(input.slice(cellStart, i + 1));
          else out.push(input.slice(cellStart, i), "\n");
          cellStart = i + 1;
          width = 0;
          break;
        }
        endCell(i, false);
        const cellCount = cells.length;
        lines.push(cells);
        cells = [];
        // A formfeed ends all column blocks; so does a line without tabs, which cannot affect later lines.
        if (c === 0x0c || cellCount === 1) flush();
        break;
      }
      default:
        if (!isLowSurrogate(c)) width++;
    }
  }
  endCell(input.length, false);
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
  const parts: string[] = [];
  // Text not yet copied starts at `from`; a run of spaces and tabs since `blanks` is kept only if something
  // other than a line break follows it.
  let from = 0;
  let blanks = -1;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x20 || c === 0x09) {
      if (blanks < 0) blanks = i;
    } else if (c === 0x0a) {
      if (blanks >= 0) {
        parts.push(input.slice(from, blanks));
        from = i;
      }
      blanks = -1;
    } else if (c === 0) {
      const close = input.indexOf(ESCAPE, i + 1);
      const end = close < 0 ? input.length : close;
      parts.push(input.slice(from, i), input.slice(i + 1, end));
      from = end + 1;
      i = end;
      blanks = -1;
    } else blanks = -1;
  }
  parts.push(input.slice(from, blanks >= 0 ? blanks : input.length));
  return parts.join("");
}
