// The template config form (src/lib/skills/configForm.ts): built from each template's real
// configSchema, checked field by field in the browser, and producing configs the server's own
// validator accepts. Shapes the form cannot show fall back to the JSON editor.
import { describe, expect, it } from "vitest";

import { validateInput } from "../../../convex/security/jsonSchema.ts";
import { TEMPLATES } from "../../../convex/skills/templates/registry.ts";
import { buildConfigForm, initialValues, labelFor, readForm, type ConfigField } from "../../../src/lib/skills/configForm.ts";

function fieldsOf(schema: object): ConfigField[] {
  const form = buildConfigForm(JSON.stringify(schema));
  if (form.kind !== "fields") throw new Error(`Expected a form, got the JSON editor: ${form.reason}`);
  return form.fields;
}

const schemaText = (key: keyof typeof TEMPLATES) => JSON.stringify(TEMPLATES[key].configSchema);

describe("buildConfigForm", () => {
  it.each(Object.keys(TEMPLATES) as (keyof typeof TEMPLATES)[])("builds a form, not the JSON editor, for the %s template", (key) => {
    expect(buildConfigForm(schemaText(key)).kind).toBe("fields");
  });

  it("reads each property's kind, label, requirement and limits", () => {
    expect(fieldsOf(TEMPLATES.calculator.configSchema)).toEqual([
      { name: "precision", label: "Precision", required: false, kind: "number", integer: true, minimum: 0, maximum: 12, hint: "A whole number from 0 to 12" },
    ]);
    const [from, recipients, prefix] = fieldsOf(TEMPLATES.emailSender.configSchema);
    expect(from).toMatchObject({ name: "from", kind: "text", format: "email", required: true });
    expect(recipients).toMatchObject({ name: "allowedRecipients", label: "Allowed recipients", kind: "list", minItems: 1, maxItems: 20, item: { format: "email" }, required: true });
    expect(prefix).toMatchObject({ name: "subjectPrefix", kind: "text", maxLength: 40, required: false, hint: "Up to 40 characters" });
    expect(fieldsOf(TEMPLATES.apiCaller.configSchema).find((field) => field.name === "method")).toMatchObject({ kind: "choice", options: ["GET", "POST"], required: true });
  });

  it("makes a switch of a boolean, with the schema's title and description", () => {
    expect(fieldsOf({ type: "object", properties: { verbose: { type: "boolean", title: "Say more", description: "Longer answers." } } })).toEqual([
      { name: "verbose", label: "Say more", required: false, kind: "boolean", hint: "Longer answers." },
    ]);
  });

  it.each([
    ["text that is not JSON", "{type:"],
    ["a schema that is not an object of fields", JSON.stringify({ type: "string" })],
    ["a nested object", JSON.stringify({ type: "object", properties: { auth: { type: "object" } } })],
    ["a list of objects", JSON.stringify({ type: "object", properties: { rows: { type: "array", items: { type: "object" } } } })],
    ["a field of several types", JSON.stringify({ type: "object", properties: { limit: { type: ["integer", "null"] } } })],
    ["a choice of numbers", JSON.stringify({ type: "object", properties: { size: { enum: [1, 2] } } })],
    ["a text format the form does not check", JSON.stringify({ type: "object", properties: { when: { type: "string", format: "date-time" } } })],
  ])("falls back to the JSON editor for %s", (_case, schema) => {
    expect(buildConfigForm(schema)).toMatchObject({ kind: "json", reason: expect.any(String) });
  });

  it("labels camelCase and snake_case names as words", () => {
    expect(labelFor("urlTemplate")).toBe("Url template");
    expect(labelFor("max_items")).toBe("Max items");
  });
});

describe("readForm", () => {
  const calculator = fieldsOf(TEMPLATES.calculator.configSchema);
  const email = fieldsOf(TEMPLATES.emailSender.configSchema);
  const apiCaller = fieldsOf(TEMPLATES.apiCaller.configSchema);

  it("turns the inputs into the config, leaving empty optional fields out", () => {
    expect(readForm(calculator, { precision: " 2 " })).toEqual({ ok: true, config: { precision: 2 } });
    expect(readForm(calculator, { precision: "" })).toEqual({ ok: true, config: {} });
    expect(readForm(email, { from: "agent@example.com", allowedRecipients: "a@example.com\n\n b@example.com \n", subjectPrefix: "" })).toEqual({
      ok: true,
      config: { from: "agent@example.com", allowedRecipients: ["a@example.com", "b@example.com"] },
    });
  });

  it.each([
    ["a fraction for a whole number", calculator, { precision: "2.5" }, { precision: "Enter a whole number." }],
    ["a number out of range", calculator, { precision: "13" }, { precision: "A whole number from 0 to 12." }],
    ["text for a number", calculator, { precision: "two" }, { precision: "Enter a number." }],
    ["a missing required field", email, { from: "", allowedRecipients: "a@example.com" }, { from: "This field is required." }],
    ["a bad address in a list, naming its line", email, { from: "agent@example.com", allowedRecipients: "a@example.com\nnot-an-address" }, { allowedRecipients: "Line 2: Enter an email address, such as team@example.com." }],
    ["a list over its limit", email, { from: "agent@example.com", allowedRecipients: Array.from({ length: 21 }, (_, i) => `p${i}@example.com`).join("\n") }, { allowedRecipients: "Enter at most 20, one a line." }],
    ["text over its length", email, { from: "agent@example.com", allowedRecipients: "a@example.com", subjectPrefix: "x".repeat(41) }, { subjectPrefix: "Enter at most 40 characters." }],
    ["a plain http address where https is required", apiCaller, { urlTemplate: "http://api.example.com/v1", method: "GET" }, { urlTemplate: "The address must start with https://." }],
    ["text that breaks the field's pattern", apiCaller, { urlTemplate: "https://api.example.com/v1", method: "GET", authHeader: "Bad Header!" }, { authHeader: "This value is not in the expected format." }],
    ["a choice that is not an option", apiCaller, { urlTemplate: "https://api.example.com/v1", method: "TRACE" }, { method: "Pick one of the options." }],
  ])("refuses %s beside its field", (_case, fields, values, errors) => {
    expect(readForm(fields, values)).toEqual({ ok: false, errors });
  });

  it("gives a switch's value whether or not it is ticked", () => {
    const fields = fieldsOf({ type: "object", properties: { verbose: { type: "boolean" } } });
    expect(readForm(fields, { verbose: true })).toEqual({ ok: true, config: { verbose: true } });
    expect(readForm(fields, {})).toEqual({ ok: true, config: { verbose: false } });
  });

  it("starts an edit from the skill's current config and gives the same config back", () => {
    const config = { from: "agent@example.com", allowedRecipients: ["a@example.com", "b@example.com"], subjectPrefix: "[bot]" };
    const values = initialValues(email, config);
    expect(values).toEqual({ from: "agent@example.com", allowedRecipients: "a@example.com\nb@example.com", subjectPrefix: "[bot]" });
    expect(readForm(email, values)).toEqual({ ok: true, config });
    expect(initialValues(calculator, { precision: 4 })).toEqual({ precision: "4" });
  });

  it.each([
    ["calculator", { precision: "3" }],
    ["emailSender", { from: "agent@example.com", allowedRecipients: "a@example.com", subjectPrefix: "Hi" }],
    ["apiCaller", { urlTemplate: "https://api.example.com/v1/items", method: "POST", authHeader: "Authorization", authScheme: "Bearer" }],
    ["rssFetcher", { feedUrl: "https://example.com/feed.xml", maxItems: "10" }],
    ["knowledgeLookup", { collection: "faq", maxResults: "3" }],
    ["webhookCaller", { url: "https://hooks.example.com/in", signingHeader: "X-Token" }],
  ] as const)("produces a %s config the server's validator accepts", (key, values) => {
    const result = readForm(fieldsOf(TEMPLATES[key].configSchema), values);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(validateInput(schemaText(key), result.config)).toEqual({ ok: true });
  });
});
