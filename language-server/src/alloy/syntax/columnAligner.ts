/**
 * Aligns text in columns the way `alloy fmt` does (elastic tabstops, as Go's text/tabwriter computes them
 * with padding 1, tab width 8, DiscardEmptyColumns and TabIndent). The printer's layout writes to it piece
 * by piece, saying where cells and lines end, so the text is never built whole and scanned again:
 *
 * - A cell ends at a tab (`cellBreak(true)`, a "hard" tab used for indentation) or a vertical tab
 *   (`cellBreak(false)`); a line ends at a line break or a formfeed, and a formfeed (like a line with no
 *   cell at all) also ends every column block.
 * - A column block is a run of consecutive lines that have a cell in that column; its width is its widest
 *   cell plus one. Cells are padded with spaces; leading empty cells (indentation) become tabs.
 * - Text between two ESCAPE characters is written as it is (tabs and line breaks in it too); the layout
 *   gives its width.
 * - As `alloy fmt` trims its tabwriter's output: no space or tab is left before a line break or at the end,
 *   except inside escaped text; the ESCAPE characters are removed.
 * - Widths count code points, as Go counts runes.
 */

export const ESCAPE = "\u0000";

const TAB_WIDTH = 8;
const PADDING = 1;

/** Spaces and tabs for the usual paddings, made once. */
const SPACES = Array.from({ length: 64 }, (_, i) => " ".repeat(i));
const TABS = Array.from({ length: 16 }, (_, i) => "\t".repeat(i));

function padding(textWidth: number, cellWidth: number, useTabs: boolean): string {
  if (useTabs) {
    const rounded = Math.ceil(cellWidth / TAB_WIDTH) * TAB_WIDTH;
    const n = Math.ceil((rounded - textWidth) / TAB_WIDTH);
    return TABS[n] ?? "\t".repeat(n);
  }
  const n = cellWidth - textWidth;
  return SPACES[n] ?? " ".repeat(n);
}

/**
 * The lines of the open column blocks are kept in flat arrays rather than an object per cell (a formatted
 * file has several cells on nearly every line): line `i` has the cells `[lineFirst[i], lineFirst[i + 1])`,
 * the last of which is its text after the last tab (in no column).
 */
export class ColumnWriter {
  private out = "";
  /** The cell being written, and its width so far. */
  private cell = "";
  private width = 0;
  private readonly cellText: string[] = [];
  private readonly cellWidth: number[] = [];
  private readonly cellHtab: boolean[] = [];
  private cells = 0;
  private readonly lineFirst: number[] = [0];
  private lines = 0;
  /** The widths of the columns of the block being written, outermost first. */
  private readonly widths: number[] = [];

  /** Appends text of `width` code points to the cell being written (no tab or line break in it, unless escaped). */
  text(s: string, width: number): void {
    this.cell += s;
    this.width += width;
  }

  cellBreak(htab: boolean): void {
    this.addCell(htab);
  }

  lineBreak(formfeed: boolean): void {
    const lineCells = this.cells - this.lineFirst[this.lines];
    if (lineCells === 0 && this.lines === 0) {
      // A line with no cell, and no column block open: written as it is.
      this.out += finishLine(this.cell) + "\n";
      this.cell = "";
      this.width = 0;
      return;
    }
    this.addCell(false);
    this.endLine();
    // A formfeed ends all column blocks; so does a line without tabs, which cannot affect later lines.
    if (formfeed || lineCells === 0) this.flush(false);
  }

  /** Everything written, aligned; the last line has no line break of its own. */
  finish(): string {
    this.addCell(false);
    this.endLine();
    this.flush(true);
    return this.out;
  }

  private addCell(htab: boolean): void {
    const k = this.cells++;
    this.cellText[k] = this.cell;
    this.cellWidth[k] = this.width;
    this.cellHtab[k] = htab;
    this.cell = "";
    this.width = 0;
  }

  private endLine(): void {
    this.lineFirst[++this.lines] = this.cells;
  }

  private cellCount(line: number): number {
    return this.lineFirst[line + 1] - this.lineFirst[line];
  }

  /** Writes the open lines; `lastIsOpen`: the final line, which has no line break of its own. */
  private flush(lastIsOpen: boolean): void {
    this.formatBlock(0, this.lines, lastIsOpen);
    this.lines = 0;
    this.cells = 0;
  }

  /** Writes lines [from, to) with the column widths known so far, working out the next column's blocks. */
  private formatBlock(from: number, to: number, lastIsOpen: boolean): void {
    const column = this.widths.length;
    let printedUpTo = from;
    for (let i = from; i < to; i++) {
      if (column >= this.cellCount(i) - 1) continue;
      this.writeLines(printedUpTo, i, lastIsOpen);
      // a column block starts at line i
      let blockWidth = 0,
        discardable = true,
        end = i;
      for (; end < to && column < this.cellCount(end) - 1; end++) {
        const k = this.lineFirst[end] + column;
        blockWidth = Math.max(blockWidth, this.cellWidth[k] + PADDING);
        if (this.cellWidth[k] > 0 || this.cellHtab[k]) discardable = false;
      }
      this.widths.push(discardable ? 0 : blockWidth);
      this.formatBlock(i, end, lastIsOpen);
      this.widths.pop();
      printedUpTo = end;
      i = end - 1;
    }
    this.writeLines(printedUpTo, to, lastIsOpen);
  }

  private writeLines(from: number, to: number, lastIsOpen: boolean): void {
    const widths = this.widths;
    for (let i = from; i < to; i++) {
      let line = "";
      let leading = true; // leading empty cells are indentation: tabs
      const first = this.lineFirst[i];
      const n = this.lineFirst[i + 1] - first;
      for (let j = 0; j < n; j++) {
        const k = first + j;
        const text = this.cellText[k];
        if (text === "") {
          if (j < widths.length) line += padding(0, widths[j], leading);
        } else {
          leading = false;
          line += text;
          if (j < widths.length) line += padding(this.cellWidth[k], widths[j], false);
        }
      }
      this.out += finishLine(line);
      if (!(lastIsOpen && i === this.lines - 1)) this.out += "\n";
    }
  }
}

/**
 * A line as it is written out: without the spaces and tabs at its end (those inside escaped text, which ends
 * with an ESCAPE, stay) and without ESCAPE characters.
 */
function finishLine(line: string): string {
  let end = line.length;
  for (let c = line.charCodeAt(end - 1); c === 0x20 || c === 0x09; c = line.charCodeAt(end - 1)) end--;
  if (end < line.length) line = line.slice(0, end);
  return line.includes(ESCAPE) ? line.replaceAll(ESCAPE, "") : line;
}
