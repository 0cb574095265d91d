// Lets keyboard users jump past the header and navigation straight to the page's content.
import "../../styles/common.css";

export function SkipLink({ target }: { target: string }) {
  return (
    <a className="skip-link" href={`#${target}`}>
      Skip to content
    </a>
  );
}
