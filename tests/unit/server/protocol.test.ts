// The websocket protocol's client messages, validated before anything acts on them: every shape the
// real `convex` client sends is accepted, malformed or oversized ones are refused; and the u64
// timestamps of server messages are encoded as the client decodes them.
import { convexToJson } from "convex/values";
import { describe, expect, it } from "vitest";

import { clientMessage, encodeTs } from "../../../local/server/protocol.ts";

/** What arrives on the wire: JSON text, so `undefined` fields are absent. */
const wire = (message: unknown): unknown => JSON.parse(JSON.stringify(message));
const accepts = (message: unknown) => clientMessage.safeParse(wire(message)).success;

const connect = { type: "Connect", sessionId: "6f0d1c3e-3a3a-4b7e-9d55-2f1c6a4b8e21", connectionCount: 0, lastCloseReason: null, clientTs: 1_700_000_000_000 };
const add = { type: "Add", queryId: 0, udfPath: "messages:list", args: [{ channel: "general" }], journal: null };
const modify = { type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [add] };
const mutation = { type: "Mutation", requestId: 0, udfPath: "messages:send", args: [{ body: "hi" }] };
const action = { type: "Action", requestId: 3, udfPath: "agent:reply", args: [{}] };
const authUser = { type: "Authenticate", tokenType: "User", value: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", baseVersion: 0 };

describe("encodeTs", () => {
  it.each<[bigint, string]>([
    [0n, "AAAAAAAAAAA="],
    [1n, "AQAAAAAAAAA="],
    [256n, "AAEAAAAAAAA="],
    [2n ** 63n, "AAAAAAAAAIA="],
    [2n ** 64n - 1n, "//////////8="],
    [1_700_000_000_000_000_000n, "AAAqNv6clxc="],
  ])("%s -> %s", (ts, expected) => {
    expect(encodeTs(ts)).toBe(expected);
  });

  it.each([0n, 1n, 1_700_000_000_000_000_000n, 2n ** 62n, 2n ** 63n - 1n])("%s matches the library's little-endian int64 encoding", (ts) => {
    expect(encodeTs(ts)).toBe((convexToJson(ts) as { $integer: string }).$integer);
  });

  it.each([-1n, 2n ** 64n])("refuses %s, which is not a u64", (ts) => {
    expect(() => encodeTs(ts)).toThrow(RangeError);
  });
});

describe("clientMessage accepts what the real client sends", () => {
  it.each<[string, unknown]>([
    ["Connect, first connection", connect],
    ["Connect, reconnect with the max observed timestamp", { ...connect, connectionCount: 3, lastCloseReason: "OnCloseFromServer", maxObservedTimestamp: "AQAAAAAAAAA=" }],
    ["Connect with an undefined maxObservedTimestamp", { ...connect, maxObservedTimestamp: undefined }],
    ["ModifyQuerySet adding a query", modify],
    ["ModifyQuerySet adding a paginated query with its journal", { ...modify, modifications: [{ ...add, journal: '{"endCursor":"k.abc"}' }] }],
    ["ModifyQuerySet adding with the journal left out", { ...modify, modifications: [{ ...add, journal: undefined }] }],
    ["ModifyQuerySet adding a component query", { ...modify, modifications: [{ ...add, componentPath: "agent" }] }],
    ["ModifyQuerySet removing a query", { ...modify, baseVersion: 1, newVersion: 2, modifications: [{ type: "Remove", queryId: 0 }] }],
    ["ModifyQuerySet with no modifications", { ...modify, modifications: [] }],
    ["ModifyQuerySet adding and removing", { ...modify, modifications: [add, { type: "Remove", queryId: 7 }] }],
    ["Mutation", mutation],
    ["Mutation with a componentPath", { ...mutation, componentPath: "rateLimiter" }],
    ["Mutation with an undefined componentPath", { ...mutation, componentPath: undefined }],
    ["Mutation whose args hold Convex JSON", { ...mutation, args: [{ n: { $integer: "AQAAAAAAAAA=" }, b: { $bytes: "AQI=" } }] }],
    ["Action", action],
    ["Authenticate with a user token", authUser],
    ["Authenticate as admin", { type: "Authenticate", tokenType: "Admin", value: "local|secret", baseVersion: 1 }],
    ["Authenticate as admin impersonating", { type: "Authenticate", tokenType: "Admin", value: "k", baseVersion: 1, impersonating: { subject: "u1", issuer: "https://x" } }],
    ["Authenticate with no token (sign out)", { type: "Authenticate", tokenType: "None", baseVersion: 2 }],
    ["Event", { type: "Event", eventType: "ClientConnectionCount", event: { count: 1 } }],
  ])("%s", (_name, message) => {
    expect(accepts(message)).toBe(true);
  });

  it("parses to the same message, minus nothing the runtime needs", () => {
    expect(clientMessage.parse(wire(mutation))).toEqual(mutation);
  });
});

describe("clientMessage refuses malformed messages", () => {
  it.each<[string, unknown]>([
    ["null", null],
    ["a string", "Connect"],
    ["a number", 5],
    ["an array", [connect]],
    ["an empty object", {}],
    ["an unknown type", { ...mutation, type: "Bogus" }],
    ["a type in the wrong case", { ...mutation, type: "mutation" }],
    ["a server message type", { type: "Transition", startVersion: {}, endVersion: {}, modifications: [] }],
    ["Connect without a sessionId", { ...connect, sessionId: undefined }],
    ["Connect with an empty sessionId", { ...connect, sessionId: "" }],
    ["Connect with a negative connectionCount", { ...connect, connectionCount: -1 }],
    ["Connect with a fractional connectionCount", { ...connect, connectionCount: 1.5 }],
    ["Connect without lastCloseReason", { ...connect, lastCloseReason: undefined }],
    ["Connect with a numeric timestamp", { ...connect, maxObservedTimestamp: 5 }],
    ["ModifyQuerySet without newVersion", { ...modify, newVersion: undefined }],
    ["ModifyQuerySet with modifications not an array", { ...modify, modifications: add }],
    ["Add without a queryId", { ...modify, modifications: [{ ...add, queryId: undefined }] }],
    ["Add with a negative queryId", { ...modify, modifications: [{ ...add, queryId: -1 }] }],
    ["Add with an empty udfPath", { ...modify, modifications: [{ ...add, udfPath: "" }] }],
    ["Add with args not an array", { ...modify, modifications: [{ ...add, args: { channel: "general" } }] }],
    ["Add with no args", { ...modify, modifications: [{ ...add, args: [] }] }],
    ["Add with two args", { ...modify, modifications: [{ ...add, args: [{}, {}] }] }],
    ["Add with a numeric journal", { ...modify, modifications: [{ ...add, journal: 1 }] }],
    ["an unknown modification", { ...modify, modifications: [{ type: "Replace", queryId: 0 }] }],
    ["Mutation without a requestId", { ...mutation, requestId: undefined }],
    ["Mutation with a string requestId", { ...mutation, requestId: "0" }],
    ["Mutation with a fractional requestId", { ...mutation, requestId: 0.5 }],
    ["Mutation without a udfPath", { ...mutation, udfPath: undefined }],
    ["Mutation with a numeric udfPath", { ...mutation, udfPath: 1 }],
    ["Mutation with args an object", { ...mutation, args: { body: "hi" } }],
    ["Mutation with args null", { ...mutation, args: null }],
    ["Mutation with no args", { ...mutation, args: [] }],
    ["Mutation with two args", { ...mutation, args: [{}, {}] }],
    ["Mutation with a numeric componentPath", { ...mutation, componentPath: 1 }],
    ["Action with args missing", { ...action, args: undefined }],
    ["Authenticate with an unknown token type", { ...authUser, tokenType: "Bearer" }],
    ["Authenticate User without a value", { ...authUser, value: undefined }],
    ["Authenticate without a baseVersion", { ...authUser, baseVersion: undefined }],
    ["Authenticate Admin impersonating a non-object", { type: "Authenticate", tokenType: "Admin", value: "k", baseVersion: 0, impersonating: "root" }],
    ["Event without an eventType", { type: "Event", event: {} }],
  ])("%s", (_name, message) => {
    expect(accepts(message)).toBe(false);
  });
});

describe("clientMessage refuses oversized fields", () => {
  it.each<[string, (size: number) => unknown, number]>([
    ["sessionId", (n) => ({ ...connect, sessionId: "s".repeat(n) }), 128],
    ["lastCloseReason", (n) => ({ ...connect, lastCloseReason: "r".repeat(n) }), 4096],
    ["maxObservedTimestamp", (n) => ({ ...connect, maxObservedTimestamp: "A".repeat(n) }), 32],
    ["Add udfPath", (n) => ({ ...modify, modifications: [{ ...add, udfPath: "m".repeat(n) }] }), 1024],
    ["Add componentPath", (n) => ({ ...modify, modifications: [{ ...add, componentPath: "c".repeat(n) }] }), 1024],
    ["Mutation udfPath", (n) => ({ ...mutation, udfPath: "m".repeat(n) }), 1024],
    ["Action udfPath", (n) => ({ ...action, udfPath: "a".repeat(n) }), 1024],
    ["Mutation componentPath", (n) => ({ ...mutation, componentPath: "c".repeat(n) }), 1024],
    ["user token", (n) => ({ ...authUser, value: "t".repeat(n) }), 16_384],
    ["admin key", (n) => ({ type: "Authenticate", tokenType: "Admin", value: "k".repeat(n), baseVersion: 0 }), 4096],
    ["eventType", (n) => ({ type: "Event", eventType: "e".repeat(n), event: null }), 256],
  ])("%s: %i characters accepted, one more refused", (_name, build, max) => {
    expect(accepts(build(max))).toBe(true);
    expect(accepts(build(max + 1))).toBe(false);
  });

  it("a query set change of 10,000 modifications is accepted, 10,001 refused", () => {
    const removals = (n: number) => Array.from({ length: n }, (_, queryId) => ({ type: "Remove", queryId }));
    expect(accepts({ ...modify, modifications: removals(10_000) })).toBe(true);
    expect(accepts({ ...modify, modifications: removals(10_001) })).toBe(false);
  });
});
