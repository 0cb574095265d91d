// Convex clients for the tests, talking to the platform exactly as an outside caller would: a plain
// ConvexHttpClient, and one with the deployment's admin key for internal functions.
import { ConvexHttpClient } from "convex/browser";
import { makeFunctionReference } from "convex/server";

/** The functions the browser tests drive, named as on the wire ("module:function"). */
export const fn = {
  recordActivity: makeFunctionReference<"mutation", { kind: string; summary: string }, string>("activity:record"),
  publishActivity: makeFunctionReference<"mutation", { id: string }, null>("activity:publish"),
  listPublicActivity: makeFunctionReference<"query", Record<string, never>, { _id: string; _creationTime: number; kind: string; summary: string }[]>(
    "activity:listPublic",
  ),
};

/** `setAdminAuth` exists on ConvexHttpClient but is marked internal, so its types omit it. */
type AdminAuthCapable = { setAdminAuth(adminKey: string): void };

/** A client that calls internal functions with the admin key, as `npx convex` tooling does. */
export function adminClient(apiUrl: string, adminKey: string): ConvexHttpClient {
  const client = new ConvexHttpClient(apiUrl);
  (client as unknown as AdminAuthCapable).setAdminAuth(adminKey);
  return client;
}

/** Records an activity entry and makes it public; returns its id. */
export async function publishActivity(admin: ConvexHttpClient, kind: string, summary: string): Promise<string> {
  const id = await admin.mutation(fn.recordActivity, { kind, summary });
  await admin.mutation(fn.publishActivity, { id });
  return id;
}
