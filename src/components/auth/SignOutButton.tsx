// Ends the owner's session in this browser and on the server.
import { useState } from "react";
import { useOwnerAuthControls } from "../../lib/auth/ownerAuthControls";

export function SignOutButton() {
  const controls = useOwnerAuthControls();
  const [signingOut, setSigningOut] = useState(false);

  async function signOut() {
    setSigningOut(true);
    try {
      await controls.signOut();
    } finally {
      setSigningOut(false);
    }
  }

  return (
    <button type="button" className="button button--quiet" onClick={signOut} disabled={signingOut}>
      {signingOut ? "Signing out…" : "Sign out"}
    </button>
  );
}
