// What the UI may ask of the owner's sign-in, whichever identity provider is active.
import { createContext, useContext } from "react";
import type { ExchangeOutcome, RenewalProblem } from "./localOwnerSession";

export type OwnerAuthControls =
  | {
      provider: "local";
      /** Trades the one-time code from the printed sign-in link for a session. */
      exchangeSignInCode(code: string): Promise<ExchangeOutcome>;
      signOut(): Promise<void>;
      /** Set when the session could not be renewed for a reason other than being invalid. */
      renewalProblem: RenewalProblem | null;
      retryRenewal(): void;
    }
  | {
      provider: "workos";
      /** Redirects to the WorkOS hosted sign-in page. */
      signIn(): void;
      signOut(): Promise<void>;
    };

export const OwnerAuthControlsContext = createContext<OwnerAuthControls | null>(null);

/** The active provider's controls; only valid below OwnerAuthProvider. */
export function useOwnerAuthControls(): OwnerAuthControls {
  const controls = useContext(OwnerAuthControlsContext);
  if (controls === null) throw new Error("useOwnerAuthControls needs an OwnerAuthProvider above it.");
  return controls;
}
