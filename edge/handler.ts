/**
 * The edge handler: one function serves every event of an instance and
 * dispatches on `cf.config.eventType` against the plan in `edgeEventTypes`.
 *
 * - A planned request event is checked (on-request.ts); a planned
 *   origin-response is bounded (on-origin-response.ts).
 * - A request event that is not in the plan fails closed: 503, never
 *   cached, logged as `unexpected_event` (skipping the check could serve an
 *   image without one; a loud 503 shows the misassociation at once).
 * - A response event that is not in the plan goes on unchanged (the request
 *   was already checked; there is nothing to guard), logged likewise. A
 *   planned origin-response whose request is unusable goes on unchanged
 *   only when S3 succeeded (200, 206, 304); S3's error becomes the generic
 *   404 (its 403 or 404) or 503.
 * - Nothing throws: an unexpected error becomes a 503 (request events) or
 *   a `no-store` response (response events), logged as `internal_error` with
 *   the error's name only; at origin-response S3's error is replaced as above.
 */
import type { Answer } from "./answer";
import type { EdgeDeps } from "./deps";
import { EdgeResult, eventParts, EventParts, setHeader } from "./events";
import { logLine } from "./log";
import { answerOriginResponse, replaceOriginFailure } from "./on-origin-response";
import { answerRequest } from "./on-request";
import { NO_STORE, unavailableResponse } from "./responses";
import { edgeEventTypes, EdgeSettings } from "../core/edge-settings";

export async function handleEdgeEvent(event: unknown, deps: EdgeDeps): Promise<EdgeResult> {
    const started = deps.now();
    const parts = eventParts(event);
    let answer: Answer;
    try {
        answer = await dispatch(parts, deps);
    } catch (error) {
        answer = failSafe(parts, error, deps.settings);
    }
    const { result, ...fields } = answer;
    try {
        deps.log(logLine({ service: deps.settings.service, event: parts?.eventType || "unknown", ...fields, ms: deps.now() - started }));
    } catch {
        // Logging must never turn an answer into an error.
    }
    return result;
}

function dispatch(parts: EventParts | undefined, deps: EdgeDeps): Promise<Answer> | Answer {
    const planned: string[] = edgeEventTypes(deps.settings.level, deps.settings.mode);
    const eventType = parts?.eventType ?? "";
    const isPlanned = planned.includes(eventType);
    if (parts && (eventType === "viewer-request" || eventType === "origin-request")) {
        if (isPlanned && parts.request) return answerRequest(parts.request, eventType, deps);
        return { result: unavailableResponse(), outcome: "unexpected_event", status: 503 };
    }
    if (parts?.response) {
        if (isPlanned && eventType === "origin-response") {
            if (parts.request) return answerOriginResponse(parts.request, parts.response, deps);
            // No usable request: the cache lifetime cannot be bounded, but S3's errors are still hidden.
            const replaced = replaceOriginFailure(parts.response, deps.settings);
            if (replaced) return { result: replaced.result, outcome: "unexpected_event", status: replaced.status, reason: replaced.reason };
        }
        return { result: parts.response, outcome: "unexpected_event" };
    }
    return { result: unavailableResponse(), outcome: "unexpected_event", status: 503 };
}

function failSafe(parts: EventParts | undefined, error: unknown, settings: EdgeSettings): Answer {
    const reason = error instanceof Error ? error.name : typeof error;
    if (parts?.response && (parts.eventType === "origin-response" || parts.eventType === "viewer-response")) {
        // At origin-response S3's error page is replaced; a viewer-response (never planned) cannot
        // change the status of an origin error, so it only gets no-store.
        const replaced = parts.eventType === "origin-response" ? replaceOriginFailure(parts.response, settings) : undefined;
        if (replaced) return { result: replaced.result, outcome: "internal_error", status: replaced.status, reason };
        setHeader(parts.response.headers, "Cache-Control", NO_STORE);
        return { result: parts.response, outcome: "internal_error", reason };
    }
    return { result: unavailableResponse(), outcome: "internal_error", status: 503, reason };
}
