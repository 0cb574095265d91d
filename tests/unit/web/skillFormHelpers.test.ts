// The small helpers of the skills pages: a new skill's name and description checks, the dry run's
// starting input and its parsing, and the words shown for a server refusal (the owner-facing
// reason of a SkillRefused error; never the text of an unexpected failure).
import { ConvexError } from "convex/values";
import { describe, expect, it } from "vitest";

import { identityProblems, suggestName } from "../../../src/lib/skills/identity.ts";
import { problemText, refusalMessage } from "../../../src/lib/skills/problems.ts";
import { readDryRunInput, sampleInput } from "../../../src/lib/skills/sampleInput.ts";

describe("a new skill's identity", () => {
  it("suggests a tool name from the display name", () => {
    expect(suggestName("Weather forecast")).toBe("weather_forecast");
    expect(suggestName("  3D Printer: status! ")).toBe("d_printer_status");
    expect(suggestName("Café menu")).toBe("cafe_menu");
  });

  it("accepts a complete identity", () => {
    expect(identityProblems({ name: "weather", displayName: "Weather", description: "Forecasts." })).toEqual({});
  });

  it.each([
    ["an upper-case name", { name: "Weather" }, "name"],
    ["a one-letter name", { name: "w" }, "name"],
    ["a name starting with a digit", { name: "1weather" }, "name"],
    ["a blank display name", { displayName: "  " }, "displayName"],
    ["an over-long display name", { displayName: "x".repeat(65) }, "displayName"],
    ["a blank description", { description: "" }, "description"],
    ["an over-long description", { description: "x".repeat(1001) }, "description"],
  ])("refuses %s", (_case, change, field) => {
    expect(Object.keys(identityProblems({ name: "weather", displayName: "Weather", description: "Forecasts.", ...change }))).toEqual([field]);
  });
});

describe("the dry run's input", () => {
  it("starts from the input schema's properties, each an empty value of its type", () => {
    const schema = JSON.stringify({ type: "object", properties: { city: { type: "string" }, days: { type: "integer" }, metric: { type: "boolean" }, tags: { type: "array" }, extra: {} } });
    expect(JSON.parse(sampleInput(schema))).toEqual({ city: "", days: 0, metric: false, tags: [], extra: null });
  });

  it("starts from {} when the schema names no properties or is not JSON", () => {
    expect(sampleInput('{"type":"object"}')).toBe("{}");
    expect(sampleInput("not json")).toBe("{}");
  });

  it("sends a JSON object compacted, and refuses anything else", () => {
    expect(readDryRunInput('{\n  "city": "Oslo"\n}')).toEqual({ ok: true, inputJson: '{"city":"Oslo"}' });
    expect(readDryRunInput("{city: Oslo}")).toEqual({ ok: false, error: "The input is not valid JSON." });
    expect(readDryRunInput("[1]")).toEqual({ ok: false, error: "The input must be a JSON object, such as {}." });
    expect(readDryRunInput("null")).toEqual({ ok: false, error: "The input must be a JSON object, such as {}." });
  });
});

describe("what a refusal says", () => {
  it("shows the reason of a SkillRefused error", () => {
    expect(refusalMessage(new ConvexError({ kind: "SkillRefused", message: "A skill with that name exists." }))).toBe("A skill with that name exists.");
  });

  it("explains a lost sign-in or ownership", () => {
    expect(refusalMessage(new ConvexError({ kind: "NotSignedIn" }))).toMatch(/signed out/);
    expect(refusalMessage(new ConvexError({ kind: "NotOwner" }))).toMatch(/no longer an owner/);
  });

  it("never shows the text of an unexpected failure", () => {
    const internal = new Error("Uncaught Error: table skills index by_name ...");
    expect(refusalMessage(internal)).toBeNull();
    expect(refusalMessage(new ConvexError("a plain string"))).toBeNull();
    expect(refusalMessage(new ConvexError({ kind: "Other", message: "internal detail" }))).toBeNull();
    expect(problemText(internal, "The skill could not be created. Try again.")).toBe("The skill could not be created. Try again.");
  });
});
