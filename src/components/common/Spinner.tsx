// A loading indicator whose text stays visible, so it still says "loading" when motion is reduced.
import "../../styles/common.css";

interface SpinnerProps {
  label: string;
  /** Fill the viewport (an auth check) instead of sitting inline in a panel. */
  fullPage?: boolean;
}

export function Spinner({ label, fullPage = false }: SpinnerProps) {
  return (
    <div className={fullPage ? "spinner spinner--full-page" : "spinner"} role="status">
      <span className="spinner__circle" aria-hidden="true" />
      <span className="spinner__label">{label}</span>
    </div>
  );
}
