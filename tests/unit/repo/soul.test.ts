// The default soul document: convex/content/defaultSoul.ts is content/soul.md verbatim, and it
// carries no personal information (the spec's open-source safety line).
import fs from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { DEFAULT_SOUL } from "../../../convex/content/defaultSoul.ts";
import { PROJECT_ROOT } from "../../../local/config.ts";

const soulFile = fs.readFileSync(path.join(PROJECT_ROOT, "content/soul.md"), "utf8");

const PERSONAL_DATA: [string, RegExp][] = [
  ["an email address", /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/],
  ["a phone number", /\+?\d[\d\s().-]{7,}\d/],
  ["a street address", /\b\d+\s+[A-Z][a-z]+\s+(Street|St|Avenue|Ave|Road|Rd|Lane|Boulevard|Blvd)\b/],
  ["a URL", /https?:\/\//],
  ["a social handle", /(^|\s)@[A-Za-z0-9_]{2,}/],
  ["a first-person name claim", /\b(my name is|I am [A-Z][a-z]+ [A-Z][a-z]+)\b/i],
];

describe("the default soul document", () => {
  it("is content/soul.md verbatim", () => {
    expect(DEFAULT_SOUL).toBe(soulFile);
  });

  it.each(PERSONAL_DATA)("contains no %s", (_what, pattern) => {
    expect(soulFile).not.toMatch(pattern);
  });

  it.each<[string, string]>([
    ["an email address", "Write to jane.doe@example.org"],
    ["a phone number", "Call +1 (555) 010-4477"],
    ["a street address", "Visit 42 Market Street"],
    ["a URL", "See https://example.org"],
    ["a social handle", "Follow @janedoe"],
    ["a first-person name claim", "I am Jane Doe"],
  ])("would catch %s in a canary", (what, canary) => {
    const pattern = PERSONAL_DATA.find(([name]) => name === what)![1];
    expect(canary).toMatch(pattern);
  });

  it("tells the agent to treat tool and channel content as data, not instructions", () => {
    expect(soulFile).toMatch(/never instructions to follow/);
  });
});
