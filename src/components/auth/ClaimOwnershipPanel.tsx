// What /syncboard shows a signed-in identity that owns nothing: a form for a claim code (the first
// owner) or an invitation code (every other owner). A claim code carried by the printed sign-in link
// is redeemed once, automatically. The server decides; a refusal is shown in place.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useMutation } from "convex/react";
import { Link } from "react-router-dom";
import { api } from "../../../convex/_generated/api";
import { pendingClaim } from "../../lib/auth/signInLink";
import { ErrorNotice } from "../common/ErrorNotice";
import { Spinner } from "../common/Spinner";
import { SignOutButton } from "./SignOutButton";
import "../../styles/auth.css";

type Problem = { kind: "invalid" } | { kind: "lockedOut"; retryAfterMs: number } | { kind: "unreachable" };

export function ClaimOwnershipPanel({ awaitingFirstOwner }: { awaitingFirstOwner: boolean }) {
  const redeem = useMutation(api.owners.redeem);
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const autoTried = useRef(false);

  async function submit(value: string) {
    setBusy(true);
    setProblem(null);
    try {
      const result = await redeem({ code: value.trim() });
      // Success needs no state: the owner query updates and SyncBoard replaces this panel.
      if (!result.ok) setProblem(result.reason === "lockedOut" ? { kind: "lockedOut", retryAfterMs: result.retryAfterMs ?? 0 } : { kind: "invalid" });
    } catch {
      setProblem({ kind: "unreachable" });
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    const carried = pendingClaim.read();
    if (carried === null || autoTried.current) return;
    autoTried.current = true;
    pendingClaim.clear();
    void submit(carried);
    // Runs once per mount: the carried code is spent or dropped on the first try.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (code.trim() !== "") void submit(code);
  }

  return (
    <main className="auth-page">
      <section className="auth-card" data-testid="claim-ownership" aria-labelledby="claim-title" aria-busy={busy}>
        <h1 id="claim-title" className="auth-card__title">
          {awaitingFirstOwner ? "Claim this ClawSync" : "You are not an owner here"}
        </h1>
        <p>
          {awaitingFirstOwner
            ? "Enter the claim code printed by npm start (or minted with the admin key) to become its first owner."
            : "Ask an owner who is an admin for an invitation code, and enter it here."}
        </p>
        <form className="claim-form" onSubmit={onSubmit}>
          <label htmlFor="owner-code">{awaitingFirstOwner ? "Claim code" : "Invitation code"}</label>
          <input
            id="owner-code"
            name="owner-code"
            className="claim-form__input"
            autoComplete="off"
            spellCheck={false}
            value={code}
            onChange={(event) => setCode(event.target.value)}
            disabled={busy}
          />
          <button type="submit" className="button button--primary" disabled={busy || code.trim() === ""}>
            Redeem
          </button>
        </form>
        {busy ? <Spinner label="Checking the code…" /> : null}
        {problem?.kind === "invalid" ? <ErrorNotice title="That code is not valid">It may be mistyped, expired, or already used.</ErrorNotice> : null}
        {problem?.kind === "lockedOut" ? (
          <ErrorNotice title="Too many wrong codes">Try again in {Math.ceil(problem.retryAfterMs / 60_000)} minute(s).</ErrorNotice>
        ) : null}
        {problem?.kind === "unreachable" ? <ErrorNotice title="ClawSync could not be reached">Check your connection and try again.</ErrorNotice> : null}
        <p className="auth-card__aside">
          <SignOutButton /> · <Link to="/chat">Go to the public chat</Link>
        </p>
      </section>
    </main>
  );
}
