// Explains a failed sign-in link in the owner's terms; never repeats what the server said.
import type { LocalAuthFailure } from "../../lib/auth/localAuthApi";
import { formatWaitDuration } from "../../lib/time";
import { ErrorNotice } from "../common/ErrorNotice";

export function SignInFailureMessage({ failure }: { failure: LocalAuthFailure }) {
  switch (failure.kind) {
    case "invalid":
      return (
        <ErrorNotice title="This sign-in link has expired or was already used">
          <p>
            Each link works once and only for a short time. Open a new link printed by{" "}
            <code>npm start</code>.
          </p>
        </ErrorNotice>
      );
    case "rateLimited":
      return (
        <ErrorNotice title="Too many sign-in attempts">
          <p>
            {failure.retryAfterSeconds === null
              ? "Wait a few minutes, then open the sign-in link again."
              : `Try again in ${formatWaitDuration(failure.retryAfterSeconds)}, then open the sign-in link again.`}
          </p>
        </ErrorNotice>
      );
    case "unreachable":
      return (
        <ErrorNotice title="Could not reach ClawSync">
          <p>
            Check that <code>npm start</code> is still running, then open the sign-in link again.
          </p>
        </ErrorNotice>
      );
    case "unexpected":
      return (
        <ErrorNotice title="Sign-in failed">
          <p>The server gave an unexpected answer. Open a new sign-in link; if this keeps happening, check the terminal running ClawSync.</p>
        </ErrorNotice>
      );
  }
}
