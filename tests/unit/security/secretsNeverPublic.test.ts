// Decrypted secrets never reach a browser: every module that reads a secret table or decrypts a
// secret defines internal functions only, and no module with a public function reaches those
// internal functions. Read from the source, so a new public path to a secret fails here. (Calling
// every public function as an anonymous caller and as a visitor is the access-guard test's job.)
import { describe, expect, it } from "vitest";

import { convexSources } from "./convexSources";

const files = convexSources();

/** A module that defines a function a browser can call: a public wrapper or a raw public builder. */
const PUBLIC_BUILDER = /\b(publicQuery|publicAction|visitorQuery|visitorMutation|ownerQuery|ownerMutation|ownerAction)\(|import \{[^}]*\b(query|mutation|action)\b[^}]*\} from "[./]*_generated\/server"/;

/** Reads a secret table or holds decrypted values. */
const SECRET_READER = /"(skillSecrets|channelSecrets|mcpServerSecrets)"|\b(decryptRows|readSkillSecrets|readChannelSecret|decryptSecret)\(/;

/**
 * Reaches the functions that return envelopes or decrypt: everything in the secret modules except
 * `set` (encrypts; answers the name and last 4) and `listMasked` (names and last 4 only), so a
 * function added to them later is out of reach by default.
 */
const SECRET_FUNCTIONS = /internal\.(skillSecrets|channelSecrets)\.(?!set\b|listMasked\b)\w+|internal\.channels\.webhookConfig\./;

describe("secrets and the browser", () => {
  it("are read only by modules that define no public function", () => {
    const readers = files.filter(({ text }) => SECRET_READER.test(text));
    expect(readers.length).toBeGreaterThan(3);
    expect(readers.filter(({ text }) => PUBLIC_BUILDER.test(text)).map(({ file }) => file)).toEqual([]);
  });

  it("are out of reach of every module that defines a public function", () => {
    const publicModules = files.filter(({ text }) => PUBLIC_BUILDER.test(text));
    expect(publicModules.length).toBeGreaterThan(3);
    expect(publicModules.filter(({ text }) => SECRET_FUNCTIONS.test(text)).map(({ file }) => file)).toEqual([]);
  });
});
