// Shown instead of the app when its build-time configuration is wrong, naming each problem.
import "../../styles/auth.css";

export function ConfigProblems({ problems }: { problems: readonly string[] }) {
  return (
    <main className="auth-page">
      <section className="auth-card" aria-labelledby="config-problems-title">
        <h1 id="config-problems-title" className="auth-card__title">
          ClawSync is not configured correctly
        </h1>
        <p>Fix these settings in <code>.env.local</code> and rebuild the app:</p>
        <ul className="config-problems">
          {problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      </section>
    </main>
  );
}
