// Entry of an action worker thread (see actionWorker.ts). Worker threads do not inherit the
// TypeScript loader the runtime itself runs under, so the worker registers it before importing
// its TypeScript code.
import { register } from "tsx/esm/api";

register();
await import("./actionWorker.ts");
