// The signed-in owner's name, as the server knows it.
import { useQuery } from "convex/react";
import { api } from "../../../convex/_generated/api";
import "../../styles/syncboard.css";

export function OwnerName() {
  const viewer = useQuery(api.viewer.viewer, {});
  // The test id appears only with the server's answer, so a test reading it never sees a placeholder.
  if (viewer === undefined) {
    return <span className="owner-name owner-name--loading">Loading…</span>;
  }
  return (
    <span className="owner-name" data-testid="owner-name">
      {viewer.name ?? "Owner"}
    </span>
  );
}
