// The deployment's HTTP routes (the site origin). Each messaging platform posts its webhooks to
// `/api/webhook/<platform>`; everything else on the site origin is 404.
import { httpRouter } from "convex/server";

import { webhookRoute } from "./channels/webhookHttp";
import { CHANNEL_PLATFORMS } from "./lib/validators";

const http = httpRouter();

for (const platform of CHANNEL_PLATFORMS) {
  http.route({ path: `/api/webhook/${platform}`, method: "POST", handler: webhookRoute(platform) });
}

export default http;
