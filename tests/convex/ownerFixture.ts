// Owners as the SyncBoard tests need them: an owner row bound to a test identity provider's
// subject, that subject's signed-in client, and the refusal kind a guarded call answers with.
import { ConvexError } from "convex/values";

import type { Doc, Id } from "../../convex/_generated/dataModel";
import { newDeployment } from "./setup";

type Deployment = ReturnType<typeof newDeployment>;

type OwnerFields = Partial<Pick<Doc<"owners">, "role" | "status" | "name">>;

export const ISSUER = "https://idp.test";

/** The client of `subject` at the test issuer, whether or not an owner row names them. */
export const signedInAs = (t: Deployment, subject: string) => t.withIdentity({ subject, issuer: ISSUER });

/** Inserts an active admin owner for `subject` (unless `fields` say otherwise); returns its id. */
export async function addOwner(t: Deployment, subject = "ada", fields: OwnerFields = {}): Promise<Id<"owners">> {
  return await t.run(async (ctx) => await ctx.db.insert("owners", { tokenIdentifier: `${ISSUER}|${subject}`, role: "admin", status: "active", joinedAt: Date.now(), ...fields }));
}

/** Makes `subject` an active admin owner and returns their signed-in client. */
export async function ownerSession(t: Deployment, subject = "ada") {
  await addOwner(t, subject);
  return signedInAs(t, subject);
}

/** A fresh deployment with Ada as its owner: the deployment, her owner id and her client. */
export async function ownerDeployment(fields: OwnerFields = {}) {
  const t = newDeployment();
  const ownerId = await addOwner(t, "ada", fields);
  return { t, ownerId, ada: signedInAs(t, "ada") };
}

/** The `kind` a call was refused with, or "allowed" when it was not refused. */
export async function refusalKind(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "allowed";
  } catch (error) {
    return error instanceof ConvexError ? String((error.data as { kind?: string }).kind) : `unexpected: ${String(error)}`;
  }
}
