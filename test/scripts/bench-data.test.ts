import { describe, expect, it } from "vitest";
import { csvObjects, parseCsv } from "../../scripts/bench-data.js";

describe("parseCsv (RFC 4180)", () => {
  it("reads quoted fields with commas, doubled quotes and line breaks", () => {
    const text =
      'url,title,maintext\r\nhttps://a.ro/1,"Titlu, cu virgulă","Primul rând.\nAl doilea ""citat"" rând."\nhttps://a.ro/2,Simplu,Text\n';
    expect(parseCsv(text)).toEqual([
      ["url", "title", "maintext"],
      ["https://a.ro/1", "Titlu, cu virgulă", 'Primul rând.\nAl doilea "citat" rând.'],
      ["https://a.ro/2", "Simplu", "Text"],
    ]);
  });

  it("keeps empty fields, a last record without a line break, and skips a byte-order mark", () => {
    expect(parseCsv('\ufeffa,b,c\n1,,""\n2,x,"y"')).toEqual([
      ["a", "b", "c"],
      ["1", "", ""],
      ["2", "x", "y"],
    ]);
  });

  it("maps records to objects by the header, ignoring blank lines", () => {
    expect(csvObjects("title,date_publish\nUnu,2025-01-02\n\nDoi,\n")).toEqual([
      { title: "Unu", date_publish: "2025-01-02" },
      { title: "Doi", date_publish: "" },
    ]);
  });
});
