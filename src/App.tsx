// The app's providers and routes. Every URL the app answers is listed here.
import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";
import type { ConvexReactClient } from "convex/react";
import type { AppConfig } from "./lib/config";
import { OwnerAuthProvider } from "./lib/auth/OwnerAuthProvider";
import { ChatPage } from "./pages/ChatPage";
import { NotFoundPage } from "./pages/NotFoundPage";
import { SignInPage } from "./pages/SignInPage";
import { SyncBoardLayout } from "./pages/syncboard/SyncBoardLayout";
import { SyncBoardNotFoundPage } from "./pages/syncboard/SyncBoardNotFoundPage";
import { syncBoardSections } from "./pages/syncboard/sections";

interface AppProps {
  config: AppConfig;
  client: ConvexReactClient;
}

export function App({ config, client }: AppProps) {
  return (
    <BrowserRouter>
      <OwnerAuthProvider config={config} client={client}>
        <Routes>
          <Route path="/" element={<Navigate to="/chat" replace />} />
          <Route path="/chat" element={<ChatPage />} />
          {/* Same element type in the same place: switching threads keeps the page (and its draft). */}
          <Route path="/chat/:threadId" element={<ChatPage />} />
          {/* Outside the gate: this is where a signed-out owner arrives with the printed link. */}
          <Route path="/syncboard/sign-in" element={<SignInPage />} />
          <Route path="/syncboard" element={<SyncBoardLayout />}>
            {syncBoardSections.map(({ path, Page }) =>
              path === "" ? (
                <Route key="index" index element={<Page />} />
              ) : (
                <Route key={path} path={path} element={<Page />} />
              ),
            )}
            <Route path="*" element={<SyncBoardNotFoundPage />} />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </OwnerAuthProvider>
    </BrowserRouter>
  );
}
