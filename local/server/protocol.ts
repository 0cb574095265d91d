// The client messages of Convex's websocket sync protocol, validated before anything acts on them
// (shapes from `convex/dist/esm-types/browser/sync/protocol.d.ts`), and the encoding of the
// protocol's u64 timestamps: base64 of 8 little-endian bytes.
import { z } from "zod";

const jsonValue: z.ZodType<unknown> = z.unknown();
const queryJournal = z.string().nullable().optional();

const connect = z.object({
  type: z.literal("Connect"),
  sessionId: z.string().min(1).max(128),
  connectionCount: z.number().int().nonnegative(),
  lastCloseReason: z.string().max(4096).nullable(),
  maxObservedTimestamp: z.string().max(32).optional(),
  clientTs: z.number().optional(),
});

const addQuery = z.object({
  type: z.literal("Add"),
  queryId: z.number().int().nonnegative(),
  udfPath: z.string().min(1).max(1024),
  args: z.array(jsonValue).length(1),
  journal: queryJournal,
  componentPath: z.string().max(1024).optional(),
});

const removeQuery = z.object({ type: z.literal("Remove"), queryId: z.number().int().nonnegative() });

const modifyQuerySet = z.object({
  type: z.literal("ModifyQuerySet"),
  baseVersion: z.number().int().nonnegative(),
  newVersion: z.number().int().nonnegative(),
  modifications: z.array(z.discriminatedUnion("type", [addQuery, removeQuery])).max(10_000),
});

const functionCall = {
  requestId: z.number().int().nonnegative(),
  udfPath: z.string().min(1).max(1024),
  args: z.array(jsonValue).length(1),
  componentPath: z.string().max(1024).optional(),
};

const authenticate = z.discriminatedUnion("tokenType", [
  z.object({ type: z.literal("Authenticate"), tokenType: z.literal("User"), value: z.string().max(16_384), baseVersion: z.number().int().nonnegative() }),
  z.object({
    type: z.literal("Authenticate"),
    tokenType: z.literal("Admin"),
    value: z.string().max(4096),
    baseVersion: z.number().int().nonnegative(),
    impersonating: z.record(z.string(), jsonValue).optional(),
  }),
  z.object({ type: z.literal("Authenticate"), tokenType: z.literal("None"), baseVersion: z.number().int().nonnegative() }),
]);

export const clientMessage = z.union([
  connect,
  modifyQuerySet,
  z.object({ type: z.literal("Mutation"), ...functionCall }),
  z.object({ type: z.literal("Action"), ...functionCall }),
  authenticate,
  z.object({ type: z.literal("Event"), eventType: z.string().max(256), event: jsonValue }),
]);

export type ClientMessage = z.infer<typeof clientMessage>;
export type AddQuery = z.infer<typeof addQuery>;

/** Encodes a u64 timestamp for the wire. */
export function encodeTs(ts: bigint): string {
  const bytes = Buffer.alloc(8);
  bytes.writeBigUInt64LE(ts);
  return bytes.toString("base64");
}
