// What /syncboard shows to anyone without an owner session: how to sign in, nothing else.
import { Link } from "react-router-dom";
import { useOwnerAuthControls } from "../../lib/auth/ownerAuthControls";
import { ErrorNotice } from "../common/ErrorNotice";
import "../../styles/auth.css";

const RENEWAL_MESSAGES = {
  unreachable: "ClawSync could not be reached to renew your session.",
  rateLimited: "Too many session renewals in a short time.",
  unexpected: "The server gave an unexpected answer while renewing your session.",
} as const;

export function SignInRequiredPanel() {
  const controls = useOwnerAuthControls();
  return (
    <main className="auth-page">
      <section className="auth-card" data-testid="signin-required" aria-labelledby="signin-required-title">
        <h1 id="signin-required-title" className="auth-card__title">
          Sign in to SyncBoard
        </h1>
        {controls.provider === "local" ? (
          <>
            <p>
              Open the one-time sign-in link printed by <code>npm start</code> in this browser.
            </p>
            {controls.renewalProblem ? (
              <ErrorNotice title={RENEWAL_MESSAGES[controls.renewalProblem]}>
                <button type="button" className="button button--primary" onClick={controls.retryRenewal}>
                  Try again
                </button>
              </ErrorNotice>
            ) : null}
          </>
        ) : (
          <>
            <p>SyncBoard is for the owners of this ClawSync. Sign in with your WorkOS account.</p>
            <button type="button" className="button button--primary" onClick={controls.signIn}>
              Sign in
            </button>
          </>
        )}
        <p className="auth-card__aside">
          <Link to="/chat">Go to the public chat</Link>
        </p>
      </section>
    </main>
  );
}
