// The public chat's top bar: the agent's name and tagline, status badges, and the phone toggles.
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import "../../styles/chat.css";

interface ChatHeaderProps {
  /** The agent's name; the product name until the settings have arrived. */
  title: string;
  tagline?: string | null;
  /** Status badges such as "Offline demo"; filled by whichever feature knows the state. */
  badges?: ReactNode;
  /** Controls that only matter on narrow screens (the panel toggles). */
  toggles?: ReactNode;
}

export function ChatHeader({ title, tagline, badges, toggles }: ChatHeaderProps) {
  return (
    <header className="chat-header">
      <div className="chat-header__brand">
        <div className="chat-header__titles">
          <h1 className="chat-header__title">
            <Link to="/chat" className="chat-header__name">
              {title}
            </Link>
          </h1>
          {tagline ? <p className="chat-header__tagline">{tagline}</p> : null}
        </div>
        <div className="chat-header__badges">{badges}</div>
      </div>
      {toggles ? <div className="chat-header__toggles">{toggles}</div> : null}
    </header>
  );
}
