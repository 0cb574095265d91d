// @vitest-environment node
// The spec's scale rules, read from the source of convex/: no unbounded `.collect()`, and every
// database query goes through an index, except `.first()` on the two tables that hold one row by
// design. A new query that scans a table fails here.
import { describe, expect, it } from "vitest";

import { convexSources } from "../security/convexSources";

/** Tables of exactly one row (see their schema comments), read with `.first()`. */
const SINGLETON_TABLES = new Set(["agentConfig", "uiConfig"]);

/** Each `.query("table")` chain up to the call that reads it. */
function queries() {
  return convexSources().flatMap(({ file, text }) =>
    [...text.matchAll(/\.query\("([A-Za-z_]+)"\)/g)].map((match) => {
      const rest = text.slice(match.index + match[0].length, match.index + match[0].length + 800);
      const end = /\.(first|unique|take|paginate|collect)\(/.exec(rest);
      return {
        where: `${file}:${text.slice(0, match.index).split("\n").length}`,
        table: match[1],
        chain: end ? rest.slice(0, end.index) : rest,
        read: end?.[1] ?? "unknown",
      };
    }),
  );
}

describe("database reads in convex/", () => {
  const found = queries();

  it("finds the app's queries", () => {
    expect(found.length).toBeGreaterThan(50);
  });

  it("never collect a whole result without a bound", () => {
    expect(convexSources().filter(({ text }) => /\.collect\(\)/.test(text)).map(({ file }) => file)).toEqual([]);
  });

  it("go through an index, except .first() on a single-row table", () => {
    const unindexed = found.filter(
      ({ chain, table, read }) => !/\.with(Search)?Index\(/.test(chain) && !(SINGLETON_TABLES.has(table) && read === "first"),
    );
    expect(unindexed.map(({ where, table }) => `${where} ${table}`)).toEqual([]);
  });

  it("read through a bounded call: first, unique, take or paginate", () => {
    expect(found.filter(({ read }) => read === "unknown" || read === "collect").map(({ where }) => where)).toEqual([]);
  });
});
