/**
 * DynamoDB answered in-process, at the HTTP transport the edge's store sends
 * through: the real store still builds the GetItem body, signs it with SigV4
 * and parses the answer; only the socket is gone. The table is a rule, not
 * data (so it serializes into a few lines):
 *
 * - a hash starting with 0–7 has a live item `s3://<bucket>/photos/<hash>.jpg`
 *   expiring on 2100-01-01;
 * - a hash starting with 8–f has no item.
 *
 * Everything here is captured by the benchmark's serialized factory, so it
 * must not import anything at run time.
 */
import type { CallResult, HttpTransport, OutgoingCall } from "../../edge/http-call";

/** 2100-01-01T00:00:00Z in epoch seconds. */
export const FAR_FUTURE_EXPIRY = 4102444800;

/** True when the rule table holds an item for `hash`. */
export function ruleHasItem(hash: string): boolean {
    return hash.charCodeAt(0) < 0x38; // '0'..'7'
}

/** The object key the rule table maps a known hash to. */
export function ruleKey(hash: string): string {
    return `photos/${hash}.jpg`;
}

/** A transport whose every POST is a GetItem answered from the rule table for `bucket`. */
export function inProcessTransport(bucket: string): HttpTransport {
    return {
        endpoint: { protocol: "https:", hostname: "dynamodb.in-process.invalid" },
        host: "dynamodb.in-process.invalid",
        send(call: OutgoingCall): Promise<CallResult> {
            const request = JSON.parse(call.body ?? "{}") as { Key?: { hash?: { S?: string } } };
            const hash = request.Key?.hash?.S ?? "";
            const body = ruleHasItem(hash)
                ? JSON.stringify({ Item: { s3_url: { S: `s3://${bucket}/${ruleKey(hash)}` }, expires_at: { N: String(FAR_FUTURE_EXPIRY) } } })
                : "{}";
            return Promise.resolve({ ok: true, status: 200, body });
        },
    };
}
