/**
 * `npm start`'s flags as local/cli-args.ts reads them: the defaults, the
 * stack file, the data folder, the ports laid out from a base or moved one
 * by one, replicas and edge regions, and a message naming the flag for
 * every bad value. Pure: nothing is started (the port plan itself is in
 * ports.test.ts).
 */
import { expect } from "chai";
import * as path from "path";
import { parseStartArgs } from "../../local/cli-args";

const PROJECT = "/work/project";

describe("local stack: npm start flags", () => {
    it("defaults: Pulumi.dev.yaml, .local-data, ports from 4500, seeding on", () => {
        const args = parseStartArgs([], PROJECT);
        expect(args.configFile).to.equal(path.join(PROJECT, "Pulumi.dev.yaml"));
        expect(args.dataDir).to.equal(path.join(PROJECT, ".local-data"));
        expect(args).to.include({ fresh: false, seed: true, help: false, stackLabel: "dev" });
        expect(args.ports).to.deep.equal({ playground: 4500, cloudfrontApi: 4501, dynamodb: 4502, s3: 4503, cdnFirst: 4510 });
    });

    it("--stack picks Pulumi.<name>.yaml; --config takes a file; both at once is refused", () => {
        expect(parseStartArgs(["--stack", "staging"], PROJECT).configFile).to.equal(path.join(PROJECT, "Pulumi.staging.yaml"));
        expect(parseStartArgs(["--config=/tmp/x.yaml"], PROJECT)).to.include({ configFile: "/tmp/x.yaml", stackLabel: "x.yaml" });
        expect(() => parseStartArgs(["--stack", "a", "--config", "b"], PROJECT)).to.throw(/give one/);
        expect(() => parseStartArgs(["--stack", "../etc/passwd"], PROJECT)).to.throw(/not a stack name/);
    });

    it("--port lays out every port from a base; per-part flags move one part; 0 means any free port", () => {
        expect(parseStartArgs(["--port", "6000"], PROJECT).ports).to.deep.equal({ playground: 6000, cloudfrontApi: 6001, dynamodb: 6002, s3: 6003, cdnFirst: 6010 });
        expect(parseStartArgs(["--port", "6000", "--s3-port", "7000", "--cdn-port=7100"], PROJECT).ports).to.include({ s3: 7000, cdnFirst: 7100, dynamodb: 6002 });
        expect(parseStartArgs(["--port", "0"], PROJECT).ports).to.deep.equal({ playground: 0, cloudfrontApi: 0, dynamodb: 0, s3: 0, cdnFirst: 0 });
    });

    it("refuses bad values with a message naming the flag", () => {
        expect(() => parseStartArgs(["--port", "http"], PROJECT)).to.throw(/--port needs a port number/);
        expect(() => parseStartArgs(["--port", "70000"], PROJECT)).to.throw(/--port/);
        expect(() => parseStartArgs(["--port"], PROJECT)).to.throw(/--port needs a value/);
        expect(() => parseStartArgs(["--data-dir", "--fresh"], PROJECT)).to.throw(/--data-dir needs a value/);
        expect(() => parseStartArgs(["--frsh"], PROJECT)).to.throw(/unknown option "--frsh"/);
        expect(() => parseStartArgs(["--port", "65530"], PROJECT)).to.throw(/no room/);
    });

    it("--replicas, --replication-lag-ms and --edge-region set up a replicated table and where each function runs", () => {
        const args = parseStartArgs(["--replicas", "us-east-1,ap-southeast-2", "--replication-lag-ms", "2500", "--edge-region", "ap-southeast-2", "--edge-region", "chat=us-east-2"], PROJECT);
        expect(args.replication).to.deep.equal({ regions: ["us-east-1", "ap-southeast-2"], lagMs: 2500 });
        expect(args.edgeRegions).to.deep.equal({ "*": "ap-southeast-2", chat: "us-east-2" });
        expect(parseStartArgs(["--replicas", "us-east-1"], PROJECT).replication, "a second's lag by default").to.deep.equal({ regions: ["us-east-1"], lagMs: 1000 });
        expect(parseStartArgs([], PROJECT)).not.to.have.any.keys("replication", "edgeRegions");
        for (const [argv, message] of [
            [["--replicas", "us-east-1,mars-1"], "--replicas: \"mars-1\" is not a region"],
            [["--replicas", "us-east-1,us-east-1"], "--replicas: us-east-1 is named twice"],
            [["--replicas", "us-east-1", "--replication-lag-ms", "-1"], "--replication-lag-ms needs a whole number"],
            [["--replicas", "us-east-1", "--replication-lag-ms", "600001"], "--replication-lag-ms needs a whole number"],
            [["--replication-lag-ms", "10"], "--replication-lag-ms needs --replicas"],
            [["--edge-region", "Chat=us-east-1"], '--edge-region: "Chat" is not a service name'],
            [["--edge-region", "nowhere"], '--edge-region: "nowhere" is not a region'],
        ] as const) {
            expect(() => parseStartArgs(argv, PROJECT), argv.join(" ")).to.throw(message);
        }
    });

    it("resolves --data-dir against the project, and reads --fresh, --no-seed, --help", () => {
        const args = parseStartArgs(["--data-dir", "tmp/data", "--fresh", "--no-seed", "-h"], PROJECT);
        expect(args).to.include({ dataDir: path.join(PROJECT, "tmp/data"), fresh: true, seed: false, help: true });
    });
});
