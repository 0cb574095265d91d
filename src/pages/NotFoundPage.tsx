// Any address the app does not know.
import { Link } from "react-router-dom";
import "../styles/auth.css";

export function NotFoundPage() {
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="not-found-title">
        <h1 id="not-found-title" className="auth-card__title">
          Page not found
        </h1>
        <p>There is nothing at this address.</p>
        <p>
          <Link to="/chat">Go to the chat</Link>
        </p>
      </section>
    </main>
  );
}
