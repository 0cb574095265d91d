// On a hosted deployment, whatever a function prints goes to Convex's logs and log streams, outside
// this code's reach. So the console itself is wrapped, once per isolate, when the function wrappers
// load: every argument passes the scrubber before the platform sees it (finding HIGH-07). The local
// runtime scrubs its log lines again on the way out.
import { scrubText, scrubValue } from "../security/redact";

const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
/** Marks a console already wrapped; the security audit reads it too. */
export const CONSOLE_SCRUBBER_INSTALLED = Symbol.for("clawsync.consoleScrubber");

type Printer = Pick<Console, (typeof LEVELS)[number]>;

/** The arguments as they may be printed: strings and errors scrubbed as text, values field by field. */
export function scrubConsoleArgs(args: readonly unknown[]): unknown[] {
  return args.map((arg) => {
    if (typeof arg === "string") return scrubText(arg);
    // An error prints its stack, which holds its message.
    if (arg instanceof Error) return scrubText(arg.stack ?? `${arg.name}: ${arg.message}`);
    return scrubValue(arg);
  });
}

/** Wraps each printing method of `target` so it scrubs its arguments; a second call changes nothing. */
export function installConsoleScrubber(target: Printer = console): void {
  const marked = target as Printer & { [CONSOLE_SCRUBBER_INSTALLED]?: true };
  if (marked[CONSOLE_SCRUBBER_INSTALLED]) return;
  for (const level of LEVELS) {
    const print = target[level].bind(target);
    target[level] = (...args: unknown[]) => print(...scrubConsoleArgs(args));
  }
  marked[CONSOLE_SCRUBBER_INSTALLED] = true;
}
