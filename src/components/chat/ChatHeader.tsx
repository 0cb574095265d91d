// The public chat's top bar: product name, a slot for status badges, and the phone panel toggles.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import "../../styles/chat.css";

interface ChatHeaderProps {
  /** Status badges such as "Offline demo"; filled by whichever feature knows the state. */
  badges?: ReactNode;
  /** Controls that only matter on narrow screens (the panel toggles). */
  toggles?: ReactNode;
}

export function ChatHeader({ badges, toggles }: ChatHeaderProps) {
  return (
    <header className="chat-header">
      <div className="chat-header__brand">
        <Link to="/chat" className="chat-header__name">
          ClawSync
        </Link>
        <div className="chat-header__badges">{badges}</div>
      </div>
      {toggles ? <div className="chat-header__toggles">{toggles}</div> : null}
    </header>
  );
}
