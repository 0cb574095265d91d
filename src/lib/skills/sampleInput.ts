// A starting input for the dry run, shaped by the skill's input schema: each property with an empty
// value of its type, so the owner fills values in rather than typing the structure.

const EMPTY_BY_TYPE: Record<string, unknown> = { string: "", integer: 0, number: 0, boolean: false, array: [], object: {} };

/** Pretty JSON of an object with every property of the schema; `{}` when the schema names none. */
export function sampleInput(inputSchemaJson: string): string {
  let schema: unknown;
  try {
    schema = JSON.parse(inputSchemaJson);
  } catch {
    return "{}";
  }
  const properties = typeof schema === "object" && schema !== null ? (schema as { properties?: unknown }).properties : undefined;
  if (typeof properties !== "object" || properties === null) return "{}";
  const sample: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const type = typeof property === "object" && property !== null ? (property as { type?: unknown }).type : undefined;
    sample[name] = typeof type === "string" && type in EMPTY_BY_TYPE ? EMPTY_BY_TYPE[type] : null;
  }
  return JSON.stringify(sample, null, 2);
}

/** The dry run's input, or why it cannot be sent. The checker validates it against the schema. */
export function readDryRunInput(text: string): { ok: true; inputJson: string } | { ok: false; error: string } {
  try {
    const input: unknown = JSON.parse(text);
    if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, error: "The input must be a JSON object, such as {}." };
    return { ok: true, inputJson: JSON.stringify(input) };
  } catch {
    return { ok: false, error: "The input is not valid JSON." };
  }
}
