// Prints the security report of the local runtime or of the deployment in CONVEX_URL; exits 1 when
// it has an error, so it can gate a deploy.
import { auditTarget, fetchAudit, formatAudit } from "../local/securityAudit.ts";

const target = await auditTarget(process.env);
if ("error" in target) {
  console.error(target.error);
  process.exit(2);
}
try {
  const { text, passed } = formatAudit(await fetchAudit(target));
  console.log(text);
  process.exit(passed ? 0 : 1);
} catch (error) {
  console.error(`Could not reach ${target.url}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
