// Choosing the Overview's period: two radio buttons, so arrow keys move between them as anywhere else.
import type { OverviewWindow } from "../../../../convex/lib/overview";
import { PERIOD_LABELS } from "./periods";
import "../../../styles/syncboard-overview.css";

interface PeriodToggleProps {
  value: OverviewWindow;
  onChange: (period: OverviewWindow) => void;
}

export function PeriodToggle({ value, onChange }: PeriodToggleProps) {
  return (
    <fieldset className="overview-period" data-testid="overview-period">
      <legend className="overview-period__legend">Period</legend>
      {(Object.keys(PERIOD_LABELS) as OverviewWindow[]).map((period) => (
        <label key={period} className="overview-period__option">
          <input type="radio" name="overview-period" value={period} checked={value === period} onChange={() => onChange(period)} />
          <span>{PERIOD_LABELS[period].short}</span>
        </label>
      ))}
    </fieldset>
  );
}
