/**
 * An answer to one event plus what its log line says about it.
 */
import type { EdgeResult } from "./events";
import type { LogFields } from "./log";

export type Answer = { result: EdgeResult } & Omit<LogFields, "service" | "event" | "ms">;
