/**
 * No mapping is lost or duplicated across a restart of the local stack
 * (in-process `startLocalStack`, dynalite on LevelDB in the data folder):
 * a dozen images, one object issued by 20 callers at once, one revoked
 * hash; stop; start again on the same data; every hash still maps to its
 * object and serves its bytes, re-issuing reuses the same hash, the revoked
 * one stays gone, and the table holds exactly one mapping per live hash and
 * one pointer per object.
 *
 * test/local/e2e.test.ts restarts `npm start` with one image and the
 * sample; this checks many mappings, concurrency and revocation.
 * Threat: SECURITY.md, "Outages".
 */
import { expect } from "chai";
import { localDynamoClient } from "../../local/aws";
import * as fs from "fs";
import * as path from "path";
import { isHash } from "../../core/contract";
import { checkerPng } from "../../local/png";
import type { LocalStack, RunningService } from "../../local/stack";
import { startTestStack } from "../support/local-stack";
import { NotFoundError } from "../../issuer/errors";
import { objectPointerKey } from "../../issuer/table";
import { tempDir } from "../local/stack-process";
import { captureEdgeLogs, EdgeLogCapture } from "../support/edge-logs";
import { rejection } from "../support/rejection";
import { scanTable } from "../support/scan-table";

function start(dataDir: string, fresh: boolean): Promise<LocalStack> {
    return startTestStack({ services: { services: ["discussion"] }, dataDir, fresh });
}

async function tableItems(service: RunningService): Promise<{ hash: string; current?: string; s3Url?: string }[]> {
    const client = localDynamoClient(service.local.config.endpoints?.dynamodb ?? "");
    try {
        const items = await scanTable(client, service.plan.tableName ?? "");
        return items.map((item) => ({ hash: String(item.hash), current: item.current as string | undefined, s3Url: item.s3_url as string | undefined }));
    } finally {
        client.destroy();
    }
}

describe("local stack restart: no mapping lost or duplicated", function () {
    this.timeout(120_000);
    const home = tempDir("sic-restart-");
    const dataDir = path.join(home, "data");
    let stack: LocalStack | undefined;
    let logs: EdgeLogCapture | undefined;

    before(() => {
        // The edge function logs one line per request; keep them out of the test output.
        logs = captureEdgeLogs({ keep: false });
    });
    after(async () => {
        logs?.restore();
        await stack?.close();
        fs.rmSync(home, { recursive: true, force: true });
    });

    it("every issued hash survives with its object and bytes, re-issuing reuses it, the revoked one stays gone, nothing doubles", async () => {
        stack = await start(dataDir, true);
        let service = stack.services[0];
        const images = Array.from({ length: 12 }, (_, i) => checkerPng({ width: 4, height: 4, square: 1, colors: [[i * 20, 0, 0], [0, 0, 255]] }));
        const issued = new Map<string, { s3Url: string; bytes: Buffer }>();
        for (const bytes of images) {
            const uploaded = await service.local.issuer.upload(bytes);
            issued.set(uploaded.hash ?? "", { s3Url: uploaded.s3Url, bytes });
        }
        // One object, twenty callers at once: one hash.
        const shared = [...issued.values()][0].s3Url;
        const together = await Promise.all(Array.from({ length: 20 }, () => service.local.issuer.generateSecureUrl(shared)));
        expect(new Set(together.map((t) => t.hash)).size).to.equal(1);
        // One hash revoked before the restart.
        const [revokedHash] = [...issued.keys()].slice(-1);
        await service.local.issuer.revoke(revokedHash);
        issued.delete(revokedHash);

        await stack.close();
        stack = await start(dataDir, false);
        service = stack.services[0];

        for (const [hash, { s3Url, bytes }] of issued) {
            expect((await service.local.issuer.inspect(hash)).s3Url).to.equal(s3Url);
            const response = await fetch(`${service.cdn.server.baseUrl}/images/${hash}`);
            expect(response.status, hash).to.equal(200);
            expect(Buffer.from(await response.arrayBuffer()), hash).to.deep.equal(bytes);
            const again = await service.local.issuer.generateSecureUrl(s3Url);
            expect(again, s3Url).to.deep.include({ hash, reused: true });
        }
        await rejection(service.local.issuer.inspect(revokedHash), NotFoundError);
        expect((await fetch(`${service.cdn.server.baseUrl}/images/${revokedHash}`)).status).to.equal(404);

        const items = await tableItems(service);
        const mappings = items.filter((item) => isHash(item.hash));
        const pointers = items.filter((item) => item.current !== undefined);
        expect(mappings.map((m) => m.hash).sort()).to.deep.equal([...issued.keys()].sort());
        const objects = [...issued.values()].map((v) => v.s3Url);
        expect(pointers.map((p) => p.hash).sort()).to.deep.equal(objects.map(objectPointerKey).sort());
        expect(pointers.map((p) => p.current).sort()).to.deep.equal([...issued.keys()].sort());
    });
});
