// A document's wire form (the JSON text `convex/server` parses), kept for the documents in use.
// Documents are never changed in place: a patch, a replace and the commit timestamp substitution
// each make a new object. So a document object's text never goes stale, and the many reads of one
// document (history loads, re-run subscriptions) share the conversion its commit already did.
// The cache is bounded by total text size and drops the least recently used texts first, so it
// costs a fixed amount of memory however large the database grows.
import { convexToJson } from "convex/values";

import type { Doc } from "./keys.ts";

/** About 64 MB of UTF-16 text. */
const DEFAULT_MAX_CHARS = 32 << 20;

export class DocumentTexts {
  private readonly texts = new Map<Doc, string>();
  private chars = 0;

  constructor(private readonly maxChars = DEFAULT_MAX_CHARS) {}

  /** The document as JSON text, in Convex's JSON encoding of values. */
  text(doc: Doc): string {
    let text = this.texts.get(doc);
    if (text !== undefined) {
      // Move to the back: Map order is the eviction order.
      this.texts.delete(doc);
      this.texts.set(doc, text);
      return text;
    }
    text = JSON.stringify(convexToJson(doc));
    this.texts.set(doc, text);
    this.chars += text.length;
    for (const [oldest, oldText] of this.texts) {
      if (this.chars <= this.maxChars) break;
      this.texts.delete(oldest);
      this.chars -= oldText.length;
    }
    return text;
  }

  /** Whether the document's text is kept, for tests. */
  has(doc: Doc): boolean {
    return this.texts.has(doc);
  }

  /** How many texts are kept and their total length, for tests. */
  get size(): { entries: number; chars: number } {
    return { entries: this.texts.size, chars: this.chars };
  }
}

/** The process's cache: documents are shared by the log writer and the syscalls that read them. */
const shared = new DocumentTexts();

export function documentJson(doc: Doc): string {
  return shared.text(doc);
}

/** Text that is already JSON: a syscall answer built from document texts, not re-serialized. */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The JSON text of a syscall answer. */
export function answerText(answer: unknown): string {
  return answer instanceof JsonText ? answer.text : JSON.stringify(answer);
}
