// The form for a template's config, built from the template's JSON Schema (`configSchemaJson`):
// one field per property for the shapes templates use (text, number, switch, choice, list of
// text), checked here so the owner sees mistakes beside each field before sending. The server
// checks the config against the same schema again and has the final word. A schema with any
// other shape gets a plain JSON editor instead of a half-right form.

/** Rules a text value (or each item of a list) must meet. */
export interface TextRules {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: "uri" | "email";
}

interface FieldBase {
  /** The property name in the config object. */
  name: string;
  label: string;
  /** What the owner should enter: the schema's description, else its constraints in words. */
  hint: string | null;
  required: boolean;
}

export type ConfigField =
  | (FieldBase & { kind: "text" } & TextRules)
  | (FieldBase & { kind: "number"; integer: boolean; minimum?: number; maximum?: number })
  | (FieldBase & { kind: "boolean" })
  | (FieldBase & { kind: "choice"; options: string[] })
  | (FieldBase & { kind: "list"; minItems?: number; maxItems?: number; item: TextRules });

export type ConfigForm = { kind: "fields"; fields: ConfigField[] } | { kind: "json"; reason: string };

/** What the inputs hold: text for text, numbers, choices and lists (one item a line); a flag for switches. */
export type FormValues = Record<string, string | boolean>;

export type FormResult = { ok: true; config: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

type Schema = Record<string, unknown>;

function isObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** `urlTemplate` -> "Url template", `maxItems` -> "Max items". */
export function labelFor(name: string): string {
  const words = name
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function textRules(schema: Schema): TextRules | null {
  const format = schema.format;
  if (format !== undefined && format !== "uri" && format !== "email") return null;
  return {
    ...(num(schema.minLength) !== undefined ? { minLength: num(schema.minLength) } : {}),
    ...(num(schema.maxLength) !== undefined ? { maxLength: num(schema.maxLength) } : {}),
    ...(str(schema.pattern) !== undefined ? { pattern: str(schema.pattern) } : {}),
    ...(format !== undefined ? { format } : {}),
  };
}

function textHint(rules: TextRules): string | null {
  const parts: string[] = [];
  if (rules.format === "uri") parts.push(rules.pattern === "^https://" ? "An https:// address" : "An address (URL)");
  if (rules.format === "email") parts.push("An email address");
  if (rules.maxLength !== undefined) parts.push(`up to ${rules.maxLength} characters`);
  return parts.length === 0 ? null : capitalise(parts.join(", "));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function numberHint(field: { integer: boolean; minimum?: number; maximum?: number }): string {
  const what = field.integer ? "A whole number" : "A number";
  if (field.minimum !== undefined && field.maximum !== undefined) return `${what} from ${field.minimum} to ${field.maximum}`;
  if (field.minimum !== undefined) return `${what}, at least ${field.minimum}`;
  if (field.maximum !== undefined) return `${what}, at most ${field.maximum}`;
  return what;
}

/** One property as a field, or null when its shape is not one the form handles. */
function fieldFor(name: string, schema: unknown, required: boolean): ConfigField | null {
  if (!isObject(schema)) return null;
  const base = { name, label: str(schema.title) ?? labelFor(name), required };
  const description = str(schema.description) ?? null;
  if (Array.isArray(schema.enum)) {
    if (schema.type !== undefined && schema.type !== "string") return null;
    if (!schema.enum.every((option) => typeof option === "string") || schema.enum.length === 0) return null;
    return { ...base, kind: "choice", options: schema.enum as string[], hint: description };
  }
  switch (schema.type) {
    case "string": {
      const rules = textRules(schema);
      return rules === null ? null : { ...base, kind: "text", ...rules, hint: description ?? textHint(rules) };
    }
    case "integer":
    case "number": {
      const bounds = { integer: schema.type === "integer", ...(num(schema.minimum) !== undefined ? { minimum: num(schema.minimum) } : {}), ...(num(schema.maximum) !== undefined ? { maximum: num(schema.maximum) } : {}) };
      return { ...base, kind: "number", ...bounds, hint: description ?? numberHint(bounds) };
    }
    case "boolean":
      return { ...base, kind: "boolean", hint: description };
    case "array": {
      if (!isObject(schema.items) || schema.items.type !== "string") return null;
      const item = textRules(schema.items);
      if (item === null) return null;
      const minItems = num(schema.minItems);
      const maxItems = num(schema.maxItems);
      const what = item.format === "email" ? "One email address a line" : item.format === "uri" ? "One address a line" : "One entry a line";
      const count = minItems !== undefined && maxItems !== undefined ? `, ${minItems} to ${maxItems}` : maxItems !== undefined ? `, at most ${maxItems}` : "";
      return { ...base, kind: "list", item, ...(minItems !== undefined ? { minItems } : {}), ...(maxItems !== undefined ? { maxItems } : {}), hint: description ?? `${what}${count}` };
    }
    default:
      return null;
  }
}

/** The form for a template's configSchema, or the reason it needs the JSON editor. */
export function buildConfigForm(schemaJson: string): ConfigForm {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaJson);
  } catch {
    return { kind: "json", reason: "The template's schema could not be read." };
  }
  if (!isObject(schema) || schema.type !== "object") return { kind: "json", reason: "The template's config is not a set of named fields." };
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : []);
  const fields: ConfigField[] = [];
  for (const [name, property] of Object.entries(properties)) {
    const field = fieldFor(name, property, required.has(name));
    if (field === null) return { kind: "json", reason: `The field ${name} has a shape this form cannot show.` };
    fields.push(field);
  }
  return { kind: "fields", fields };
}

/** The inputs' starting values: empty, or those of a config the skill already has. */
export function initialValues(fields: readonly ConfigField[], config: unknown = {}): FormValues {
  const current = isObject(config) ? config : {};
  const values: FormValues = {};
  for (const field of fields) {
    const value = current[field.name];
    switch (field.kind) {
      case "boolean":
        values[field.name] = value === true;
        break;
      case "list":
        values[field.name] = Array.isArray(value) ? value.filter((item) => typeof item === "string").join("\n") : "";
        break;
      default:
        values[field.name] = typeof value === "string" || typeof value === "number" ? String(value) : "";
    }
  }
  return values;
}

/** Code points, as JSON Schema counts string length. */
function length(text: string): number {
  return [...text].length;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isUrl(text: string): boolean {
  try {
    new URL(text);
    return true;
  } catch {
    return false;
  }
}

/** The first rule `text` breaks, in words, or null. */
export function textProblem(text: string, rules: TextRules): string | null {
  if (rules.minLength !== undefined && length(text) < rules.minLength) return `Enter at least ${rules.minLength} characters.`;
  if (rules.maxLength !== undefined && length(text) > rules.maxLength) return `Enter at most ${rules.maxLength} characters.`;
  if (rules.format === "email" && !EMAIL.test(text)) return "Enter an email address, such as team@example.com.";
  if (rules.format === "uri" && !isUrl(text)) return "Enter a full address, such as https://example.com/feed.";
  if (rules.pattern !== undefined) {
    let pattern: RegExp | null = null;
    try {
      pattern = new RegExp(rules.pattern, "u");
    } catch {
      // A pattern this browser cannot read is left to the server, which checks it anyway.
    }
    if (pattern !== null && !pattern.test(text)) return rules.pattern === "^https://" ? "The address must start with https://." : "This value is not in the expected format.";
  }
  return null;
}

function numberValue(field: Extract<ConfigField, { kind: "number" }>, text: string): { value: number } | { error: string } {
  const value = Number(text);
  if (!Number.isFinite(value)) return { error: "Enter a number." };
  if (field.integer && !Number.isInteger(value)) return { error: "Enter a whole number." };
  if ((field.minimum !== undefined && value < field.minimum) || (field.maximum !== undefined && value > field.maximum)) return { error: `${numberHint(field)}.` };
  return { value };
}

/**
 * The config the form describes, or an error for each field that is wrong. An empty optional field
 * is left out of the config, so the template's own default applies.
 */
export function readForm(fields: readonly ConfigField[], values: FormValues): FormResult {
  const config: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const raw = values[field.name];
    if (field.kind === "boolean") {
      config[field.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") {
      if (field.required) errors[field.name] = "This field is required.";
      continue;
    }
    switch (field.kind) {
      case "text": {
        const problem = textProblem(text, field);
        if (problem !== null) errors[field.name] = problem;
        else config[field.name] = text;
        break;
      }
      case "number": {
        const parsed = numberValue(field, text);
        if ("error" in parsed) errors[field.name] = parsed.error;
        else config[field.name] = parsed.value;
        break;
      }
      case "choice":
        if (field.options.includes(text)) config[field.name] = text;
        else errors[field.name] = "Pick one of the options.";
        break;
      case "list": {
        const items = text
          .split("\n")
          .map((item) => item.trim())
          .filter((item) => item !== "");
        const problem = listProblem(field, items);
        if (problem !== null) errors[field.name] = problem;
        else config[field.name] = items;
        break;
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, config };
}

function listProblem(field: Extract<ConfigField, { kind: "list" }>, items: string[]): string | null {
  if (field.minItems !== undefined && items.length < field.minItems) return `Enter at least ${field.minItems}, one a line.`;
  if (field.maxItems !== undefined && items.length > field.maxItems) return `Enter at most ${field.maxItems}, one a line.`;
  for (const [index, item] of items.entries()) {
    const problem = textProblem(item, field.item);
    if (problem !== null) return `Line ${index + 1}: ${problem}`;
  }
  return null;
}
