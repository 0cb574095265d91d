// React glue for the visitor's session: one VisitorSessionManager per page, asking the server
// (`visitorSessions.create`) for a token when there is none.
import { useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import { useConvex } from "convex/react";
import { api } from "../../../convex/_generated/api";
import { createBrowserSessionStore, VisitorSessionManager } from "../visitorSession";
import { VisitorSessionContext, type VisitorSessionControls } from "./visitorSessionContext";

export function VisitorSessionProvider({ children }: { children: ReactNode }) {
  const convex = useConvex();
  // One manager per mount; useState keeps it across StrictMode's double render. Constructing it
  // only reads storage: the server is asked in start(), and a second start() asks nothing.
  const [manager] = useState(
    () =>
      new VisitorSessionManager({
        create: () => convex.action(api.visitorSessions.create, {}),
        store: createBrowserSessionStore(),
        now: () => Date.now(),
        setTimer: (callback, ms) => {
          const handle = window.setTimeout(callback, ms);
          return () => window.clearTimeout(handle);
        },
      }),
  );

  useEffect(() => {
    manager.start();
    return () => manager.stop();
  }, [manager]);

  const snapshot = useSyncExternalStore(manager.subscribe, manager.getSnapshot);
  const controls = useMemo<VisitorSessionControls>(
    () => ({ snapshot, reportError: manager.reportError, retry: manager.retry }),
    [manager, snapshot],
  );

  return <VisitorSessionContext.Provider value={controls}>{children}</VisitorSessionContext.Provider>;
}
