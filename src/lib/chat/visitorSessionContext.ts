// What the chat components read about the visitor's session, and how they report a failed call.
import { createContext, useContext } from "react";
import type { VisitorSessionSnapshot } from "../visitorSession";

export interface VisitorSessionControls {
  snapshot: VisitorSessionSnapshot;
  /** See VisitorSessionManager.reportError: true when the error was an InvalidSession. */
  reportError(error: unknown, token: string): boolean;
  /** Starts a new session after a failure the visitor chose to retry. */
  retry(): void;
}

export const VisitorSessionContext = createContext<VisitorSessionControls | null>(null);

export function useVisitorSession(): VisitorSessionControls {
  const controls = useContext(VisitorSessionContext);
  if (controls === null) throw new Error("The visitor session is missing; render VisitorSessionProvider.");
  return controls;
}
