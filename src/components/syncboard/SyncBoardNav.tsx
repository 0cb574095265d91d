// The list of SyncBoard sections; the route table in pages/syncboard decides what they are.
import { NavLink } from "react-router-dom";
import "../../styles/syncboard.css";

export interface SyncBoardNavItem {
  /** Absolute path of the section. */
  to: string;
  label: string;
}

interface SyncBoardNavProps {
  id: string;
  items: readonly SyncBoardNavItem[];
  /** Collapsed behind the menu toggle on narrow screens; always shown on wide ones. */
  open: boolean;
  onNavigate: () => void;
}

export function SyncBoardNav({ id, items, open, onNavigate }: SyncBoardNavProps) {
  return (
    <nav id={id} className={open ? "syncboard-nav is-open" : "syncboard-nav"} aria-label="SyncBoard">
      <ul className="syncboard-nav__list">
        {items.map((item) => (
          <li key={item.to}>
            <NavLink
              to={item.to}
              end
              className={({ isActive }) => (isActive ? "syncboard-nav__link is-active" : "syncboard-nav__link")}
              onClick={onNavigate}
            >
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
