// Where the protocol fixture app lives.
import path from "node:path";

import { PROJECT_ROOT } from "../../../local/config.ts";

export const FIXTURE_CONVEX_DIR = path.join(PROJECT_ROOT, "tests/fixtures/protocolApp/convex");
