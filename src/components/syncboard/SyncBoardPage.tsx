// The frame of one SyncBoard page: its title, then its content.
import type { ReactNode } from "react";
import "../../styles/syncboard.css";

interface SyncBoardPageProps {
  title: string;
  children: ReactNode;
}

export function SyncBoardPage({ title, children }: SyncBoardPageProps) {
  return (
    <section className="syncboard-page" aria-labelledby="syncboard-page-title">
      <h1 id="syncboard-page-title" className="syncboard-page__title">
        {title}
      </h1>
      {children}
    </section>
  );
}
