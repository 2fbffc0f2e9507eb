import { createHash } from "node:crypto";
import type { LiveCollaborator } from "../model/live-state.js";

/**
 * Digest of a live collaborator list, independent of the order QuantConnect returns it in. Only the
 * fields the plan depends on take part (publicId, permission, liveControl, owner): a changed
 * display name or profile picture does not make a saved plan stale.
 */
export function fingerprintCollaborators(collaborators: readonly LiveCollaborator[]): string {
  const lines = collaborators
    .map((c) => JSON.stringify([c.publicId, c.permission, c.liveControl, c.owner]))
    .sort();
  return `sha256:${createHash("sha256").update(lines.join("\n")).digest("hex")}`;
}
