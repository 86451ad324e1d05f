// The one way the commands print a table: columns padded to their widest cell (the header
// included), two spaces apart, no borders, no colours, no trailing spaces. Callers build the rows
// (data); this renders them. cli-table3 measures a cell as a terminal shows it (wide and combining
// characters, colour codes), which hand padding with String.length does not.

import Table from "cli-table3";

/** How a column lines up: text to the left, figures to the right. */
export type Align = "left" | "right";

// Every border character empty, and two spaces between columns.
const BORDERLESS = {
  top: "",
  "top-mid": "",
  "top-left": "",
  "top-right": "",
  bottom: "",
  "bottom-mid": "",
  "bottom-left": "",
  "bottom-right": "",
  left: "",
  "left-mid": "",
  mid: "",
  "mid-mid": "",
  right: "",
  "right-mid": "",
  middle: "  ",
};

/**
 * Renders a header and rows as aligned columns, one line each, ending with a newline.
 * @param header the column titles; its length is the number of columns
 * @param rows one array of cells per row; a short row is filled with empty cells
 * @param align per column, "left" unless given
 * @throws RangeError when a row has more cells than the header has columns.
 */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly Align[] = []): string {
  const long = rows.findIndex((r) => r.length > header.length);
  if (long >= 0) throw new RangeError(`row ${long} has ${rows[long]!.length} cells for ${header.length} columns`);
  const table = new Table({
    head: [...header],
    chars: BORDERLESS,
    style: { head: [], border: [], "padding-left": 0, "padding-right": 0 },
    colAligns: header.map((_, i) => align[i] ?? "left"),
  });
  for (const r of rows) table.push(header.map((_, i) => r[i] ?? ""));
  return (
    table
      .toString()
      .split("\n")
      .map((line) => line.trimEnd())
      .join("\n") + "\n"
  );
}
