// @vitest-environment node
// SECURITY.md's tables are the project's account of which security requirement is proven by which
// test. These tests keep the account honest: one row per checklist line, only known statuses, and
// every proof pointing at a test that exists under that exact title.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** The number of `- [ ]` lines in the ClawSync security checklist (spec 000). */
const CHECKLIST_LINES = 124;

/** Every finding of the audit (spec 001); CRIT-03 has two stages. */
const FINDINGS = [
  "CRIT-01", "CRIT-02", "CRIT-03a", "CRIT-03b", "CRIT-04",
  "HIGH-01", "HIGH-02", "HIGH-03", "HIGH-04", "HIGH-05", "HIGH-06", "HIGH-07", "HIGH-08",
  "MED-01", "MED-02", "MED-03", "MED-04", "MED-05", "MED-06", "MED-07",
  "LOW-01", "LOW-02", "LOW-03", "LOW-04",
];

const STATUSES = ["done", "partial", "open"];

/** `` `path/to/file.test.ts` › "test title" `` (backticks optional); several proofs in one cell are separated by `;`. */
const PROOF = /^`?(\S+?\.test\.ts)`? › "(.+)"$/;

type Row = { line: number; cells: Record<string, string> };
type Table = { header: string[]; rows: Row[] };

function cellsOf(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

/** Every Markdown table of SECURITY.md, rows keyed by the header's column names. */
function tables(): Table[] {
  const lines = readFileSync(join(ROOT, "SECURITY.md"), "utf8").split("\n");
  const found: Table[] = [];
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].startsWith("|") || !/^\|(\s*:?-+:?\s*\|)+\s*$/.test(lines[i + 1])) continue;
    const header = cellsOf(lines[i]);
    const rows: Row[] = [];
    let j = i + 2;
    for (; j < lines.length && lines[j].startsWith("|"); j++) {
      const cells = cellsOf(lines[j]);
      if (cells.length !== header.length) throw new Error(`SECURITY.md line ${j + 1} has ${cells.length} cells, its header ${header.length}`);
      rows.push({ line: j + 1, cells: Object.fromEntries(header.map((name, k) => [name, cells[k]])) });
    }
    found.push({ header, rows });
    i = j;
  }
  return found;
}

const withStatus = () => tables().filter((table) => table.header.includes("status"));
const checklistRows = () => tables().filter((table) => table.header.join(",") === "line,status,proof").flatMap((table) => table.rows);
const proofsOf = (row: Row) => (row.cells.proof ?? "").split(";").map((proof) => proof.trim()).filter(Boolean);

describe("SECURITY.md", () => {
  it(`has one checklist row for each of the spec's ${CHECKLIST_LINES} lines`, () => {
    const rows = checklistRows();
    expect(rows.length).toBe(CHECKLIST_LINES);
    expect(rows.filter((row) => row.cells.line === "").map((row) => row.line), "rows without their line").toEqual([]);
  });

  it("has a row for every audit finding from CRIT-01 to LOW-04", () => {
    const findings = tables().find((table) => table.header[0] === "finding");
    expect(findings, "a table whose first column is 'finding'").toBeDefined();
    const ids = findings?.rows.map((row) => /^\**([A-Z]+-\d+[ab]?)/.exec(row.cells.finding)?.[1]) ?? [];
    expect(ids).toEqual(FINDINGS);
  });

  it("uses only the statuses done, partial and open", () => {
    const bad = withStatus().flatMap((table) => table.rows.filter((row) => !STATUSES.includes(row.cells.status)));
    expect(bad.map((row) => `line ${row.line}: "${row.cells.status}"`)).toEqual([]);
  });

  it("names a proof for every done or partial row and none for an open row", () => {
    const bad = withStatus()
      .filter((table) => table.header.includes("proof"))
      .flatMap((table) => table.rows)
      .filter((row) => (row.cells.status === "open") !== (proofsOf(row).length === 0));
    expect(bad.map((row) => `line ${row.line}: ${row.cells.status} with ${proofsOf(row).length} proofs`)).toEqual([]);
  });

  it("points every proof at a test file that holds that test title", () => {
    const problems: string[] = [];
    for (const table of tables().filter((t) => t.header.includes("proof"))) {
      for (const row of table.rows) {
        for (const proof of proofsOf(row)) {
          const match = PROOF.exec(proof);
          if (!match) {
            problems.push(`line ${row.line}: "${proof}" is not path › "title"`);
            continue;
          }
          const [, path, title] = match;
          if (!existsSync(join(ROOT, path))) {
            problems.push(`line ${row.line}: ${path} does not exist`);
            continue;
          }
          const source = readFileSync(join(ROOT, path), "utf8");
          if (![`"${title}"`, `'${title}'`, `\`${title}\``].some((quoted) => source.includes(quoted))) {
            problems.push(`line ${row.line}: ${path} has no test titled "${title}"`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
