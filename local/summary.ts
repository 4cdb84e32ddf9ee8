/**
 * The table `npm start` prints once everything listens.
 */
import * as path from "path";
import { deliveryModeOf } from "../components/resolve-args";
import type { LocalStack } from "./stack";

function table(rows: string[][], indent = "  "): string[] {
    const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
    return rows.map((row) => indent + row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ").trimEnd());
}

export interface SummaryContext {
    stackLabel: string;
    configFile: string;
    projectDir: string;
    /** Milliseconds from the process start to now. */
    readyMs: number;
}

export function summaryLines(stack: LocalStack, context: SummaryContext): string[] {
    const { state } = stack;
    const relative = (file: string) => {
        const rel = path.relative(context.projectDir, file);
        return rel.startsWith("..") || path.isAbsolute(rel) ? file : rel;
    };
    const lines = [
        "",
        `secure-image-cdn local stack: stack ${context.stackLabel} (${relative(context.configFile)}), data in ${relative(stack.layout.root)}`,
        "",
        ...table([
            ["playground", state.playgroundUrl, "upload, view, revoke; hit/miss log"],
            ["CloudFront API", state.endpoints.cloudfront, "invalidations; emulator counters at /local/stats"],
            ["DynamoDB", state.endpoints.dynamodb, stack.replication ? "dynalite, home (the replicator follows its stream)" : "dynalite"],
            ...Object.entries(stack.replication?.replicaEndpoints ?? {}).map(([region, endpoint]) => [
                `DynamoDB ${region}`,
                endpoint,
                `replica, ${stack.replication?.lagMs} ms behind home`,
            ]),
            ["S3", state.endpoints.s3, "s3rver"],
        ]),
        "",
        ...table([
            ["service", "level", "mode", "CDN base URL", "edge events", "edge region", "sample image"],
            ...stack.services.map((service) => [
                service.name,
                service.plan.settings.level,
                deliveryModeOf(service.plan.settings) ?? "-",
                service.cdn.server.baseUrl,
                service.plan.edgeEvents.join("+") || "none",
                service.plan.edgeEvents.length > 0 ? (service.cdn.edgeRegion ?? "-") : "-",
                service.sampleUrl ?? "-",
            ]),
        ]),
        "",
        `Ready ${(context.readyMs / 1000).toFixed(1)} s after start. Open ${state.playgroundUrl} in a browser.`,
        `The issuer CLI finds this stack by itself while it runs, e.g.: npm run cdn -- upload <image> --service ${stack.services[0]?.name ?? "<name>"}`,
        "Press Ctrl-C to stop (data is kept; npm start -- --fresh starts empty).",
        "",
    ];
    return lines;
}
