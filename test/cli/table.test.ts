// The commands' one table renderer: what an instructor reads in a terminal and what scripts grep.

import { strict as assert } from "node:assert";
import { renderTable } from "../../cli/table";

describe("renderTable", () => {
  it("pads each column to its widest cell, header included, two spaces apart, figures to the right", () => {
    assert.equal(
      renderTable(
        ["TEAM", "SENT", "NOTE"],
        [
          ["alpha", "7", "ok"],
          ["b", "12345", "late"],
        ],
        ["left", "right"],
      ),
      ["TEAM    SENT  NOTE", "alpha      7  ok", "b      12345  late", ""].join("\n"),
    );
  });

  it("leaves no trailing spaces, borders or colour codes", () => {
    const text = renderTable(["A", "LONG HEADER", "C"], [["x", "", ""]]);
    for (const line of text.split("\n")) assert.equal(line, line.trimEnd());
    assert.ok(!text.includes("\u001b["), "no colour codes");
    assert.doesNotMatch(text, /[│─┌┐└┘]/);
  });

  it("measures cells as a terminal shows them: wide characters take two columns", () => {
    const [, wide, narrow] = renderTable(
      ["TEAM", "N"],
      [
        ["日本", "1"],
        ["abcd", "2"],
      ],
    ).split("\n");
    // "日本" is 2 characters but 4 columns wide, like "abcd": padding by String.length would add 2 spaces more.
    assert.equal(wide, "日本  1");
    assert.equal(narrow, "abcd  2");
  });

  it("fills a short row with empty cells and refuses a row longer than the header", () => {
    assert.equal(renderTable(["A", "B"], [["x"]]), "A  B\nx\n");
    assert.throws(() => renderTable(["A"], [["x", "y"]]), /row 0 has 2 cells for 1 columns/);
  });

  it("prints the header alone for no rows", () => assert.equal(renderTable(["A", "B"], []), "A  B\n"));
});
