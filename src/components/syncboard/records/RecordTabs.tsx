// Tabs for switching between record lists on one page, with the keyboard behaviour people expect
// of tabs: arrow keys move between them, Home and End jump to the ends, Tab moves into the panel.
import { useId, type KeyboardEvent, type ReactNode } from "react";
import "../../../styles/syncboard-records.css";

export interface RecordTab<K extends string> {
  key: K;
  label: string;
}

interface RecordTabsProps<K extends string> {
  label: string;
  tabs: readonly RecordTab<K>[];
  selected: K;
  onSelect: (key: K) => void;
  children: ReactNode;
}

export function RecordTabs<K extends string>({ label, tabs, selected, onSelect, children }: RecordTabsProps<K>) {
  const baseId = useId();
  const tabId = (key: K) => `${baseId}-tab-${key}`;
  const panelId = `${baseId}-panel`;

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number) {
    const last = tabs.length - 1;
    const target = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[event.key];
    if (target === undefined) return;
    event.preventDefault();
    onSelect(tabs[target].key);
    document.getElementById(tabId(tabs[target].key))?.focus();
  }

  return (
    <div className="records-tabs">
      <div className="records-tabs__list" role="tablist" aria-label={label}>
        {tabs.map((tab, index) => (
          <button
            key={tab.key}
            id={tabId(tab.key)}
            type="button"
            role="tab"
            className="records-tabs__tab"
            aria-selected={tab.key === selected}
            aria-controls={panelId}
            tabIndex={tab.key === selected ? 0 : -1}
            onClick={() => onSelect(tab.key)}
            onKeyDown={(event) => onKeyDown(event, index)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div id={panelId} role="tabpanel" aria-labelledby={tabId(selected)} className="records-tabs__panel">
        {children}
      </div>
    </div>
  );
}
