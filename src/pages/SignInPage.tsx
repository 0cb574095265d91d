// /syncboard/sign-in: where the one-time link printed by `npm start` lands.
import { useCallback, useEffect, useState } from "react";
import { Link, Navigate, useNavigate } from "react-router-dom";
import { useConvexAuth } from "convex/react";
import type { LocalAuthFailure } from "../lib/auth/localAuthApi";
import { useOwnerAuthControls } from "../lib/auth/ownerAuthControls";
import { pendingClaim, readClaimCode, readSignInCode, removeSignInCodeFromUrl } from "../lib/auth/signInLink";
import { SignInFailureMessage } from "../components/auth/SignInFailureMessage";
import { Spinner } from "../components/common/Spinner";
import "../styles/auth.css";

type SignInState =
  | { step: "no-code" }
  | { step: "exchanging" }
  | { step: "failed"; failure: LocalAuthFailure };

export function SignInPage() {
  const controls = useOwnerAuthControls();
  return controls.provider === "local" ? <LocalSignIn /> : <WorkOSSignIn signIn={controls.signIn} />;
}

function LocalSignIn() {
  const controls = useOwnerAuthControls();
  const { isAuthenticated } = useConvexAuth();
  const navigate = useNavigate();
  const [state, setState] = useState<SignInState>(() =>
    readSignInCode(window.location.hash) ? { step: "exchanging" } : { step: "no-code" },
  );

  const spend = useCallback(
    (code: string) => {
      if (controls.provider !== "local") return;
      void controls.exchangeSignInCode(code).then((outcome) => {
        if (outcome.ok) navigate("/syncboard", { replace: true });
        else setState({ step: "failed", failure: outcome });
      });
    },
    [controls, navigate],
  );

  useEffect(() => {
    // Reading the code also removes it from the address bar and history, before any request or
    // navigation can leak it; that is also why StrictMode's second effect run finds nothing to spend.
    function takeCode(): string | null {
      const code = readSignInCode(window.location.hash);
      const claim = readClaimCode(window.location.hash);
      if (claim !== null) pendingClaim.write(claim);
      removeSignInCodeFromUrl();
      return code;
    }
    const initialCode = takeCode();
    if (initialCode !== null) spend(initialCode);
    // A new link pasted into this tab changes only the fragment, which reloads nothing.
    function onHashChange() {
      const code = takeCode();
      if (code === null) return;
      setState({ step: "exchanging" });
      spend(code);
    }
    window.addEventListener("hashchange", onHashChange);
    return () => window.removeEventListener("hashchange", onHashChange);
  }, [spend]);

  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="sign-in-title" aria-busy={state.step === "exchanging"}>
        <h1 id="sign-in-title" className="auth-card__title">
          Sign in to SyncBoard
        </h1>
        {state.step === "exchanging" ? <Spinner label="Signing you in…" /> : null}
        {state.step === "failed" ? <SignInFailureMessage failure={state.failure} /> : null}
        {state.step === "no-code" ? (
          isAuthenticated ? (
            <p>
              You are signed in. <Link to="/syncboard">Open SyncBoard</Link>
            </p>
          ) : (
            <p>
              This page signs you in with the one-time link printed by <code>npm start</code>. Open that
              link in this browser.
            </p>
          )
        ) : null}
        <p className="auth-card__aside">
          <Link to="/chat">Go to the public chat</Link>
        </p>
      </section>
    </main>
  );
}

function WorkOSSignIn({ signIn }: { signIn: () => void }) {
  const { isLoading, isAuthenticated } = useConvexAuth();
  // A stray local link must not leave its code in the address bar.
  useEffect(removeSignInCodeFromUrl, []);
  if (isAuthenticated) return <Navigate to="/syncboard" replace />;
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="sign-in-title">
        <h1 id="sign-in-title" className="auth-card__title">
          Sign in to SyncBoard
        </h1>
        <p>This ClawSync signs owners in with WorkOS; one-time sign-in links are not used here.</p>
        <button type="button" className="button button--primary" onClick={signIn} disabled={isLoading}>
          Sign in
        </button>
        <p className="auth-card__aside">
          <Link to="/chat">Go to the public chat</Link>
        </p>
      </section>
    </main>
  );
}
