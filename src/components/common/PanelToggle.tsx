// The button that opens or closes a panel which collapses on narrow screens.
import "../../styles/common.css";

interface PanelToggleProps {
  label: string;
  controls: string;
  expanded: boolean;
  onToggle: () => void;
}

export function PanelToggle({ label, controls, expanded, onToggle }: PanelToggleProps) {
  return (
    <button
      type="button"
      className="button button--quiet panel-toggle"
      aria-controls={controls}
      aria-expanded={expanded}
      onClick={onToggle}
    >
      {label}
    </button>
  );
}
