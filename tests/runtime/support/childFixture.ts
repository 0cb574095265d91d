// Runs the fixture deployment as its own process (for tests that kill it), configured by the
// usual CLAWSYNC_* variables, and prints one READY line with what a test needs to reach it.
import { loadConfig } from "../../../local/config.ts";
import { startLocalDeployment } from "../../../local/deployment.ts";
import { FIXTURE_CONVEX_DIR } from "./fixturePaths.ts";

const config = { ...loadConfig(process.env), convexDir: FIXTURE_CONVEX_DIR };
const deployment = await startLocalDeployment(config, { log: () => undefined });
process.stdout.write(`READY ${JSON.stringify({ cloudUrl: config.cloudUrl, adminKey: deployment.adminKey })}\n`);
process.on("SIGTERM", () => void deployment.close().then(() => process.exit(0)));
