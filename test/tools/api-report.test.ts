/**
 * The package's public surface: api-report.md says what each entry point
 * exports, and these tests hold it to what the code exports, by the type
 * checker (names and kinds) and at run time (the values a `require` gets).
 */
import { expect } from "chai";
import * as fs from "fs";
import { apiReport, ENTRY_POINTS, ExportedName, REPORT_FILE } from "../../tools/api-report";
import { sharedBuild } from "../support/shared-build";

/** The package root stays a small, deliberate API. */
const MAX_ROOT_RUNTIME_NAMES = 25;

describe("the public API (api-report.md)", function () {
    let names: Map<string, ExportedName[]>;
    before(async function () {
        // Read from the program the run type-checks the project with (built once per run; another test file's process may be building it).
        this.timeout(600_000);
        names = new Map(Object.entries((await sharedBuild()).exportedNames));
    });

    it("api-report.md is what the entry points export now (regenerate it with npm run api-report)", () => {
        expect(fs.readFileSync(REPORT_FILE, "utf8")).to.equal(apiReport(names));
    });

    it(`the package root exports at most ${MAX_ROOT_RUNTIME_NAMES} runtime names: the component, its enums, the services table and deployPolicies`, () => {
        const runtime = (names.get("secure-image-cdn") ?? []).filter((name) => name.runtime).map((name) => name.name);
        expect(runtime.length).to.be.within(1, MAX_ROOT_RUNTIME_NAMES);
        expect(runtime).to.include.members(["SecureImageCdn", "SecurityLevel", "DeliveryMode", "SERVICE_CATALOG", "deployPolicies"]);
        expect(runtime, "the issuing library has its own entry point").to.not.include("ImageIssuer");
    });

    for (const entry of ENTRY_POINTS) {
        it(`${entry.name}: the runtime names the report lists are exactly what a require gets`, () => {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const loaded = Object.keys(require(`../../${entry.source.replace(/\.ts$/, "")}`) as object).sort();
            const reported = (names.get(entry.name) ?? []).filter((name) => name.runtime).map((name) => name.name).sort();
            expect(loaded).to.deep.equal(reported);
        });
    }

    it("tells a value from a type, and a value with a same-named type from both (the check itself)", () => {
        const root = new Map((names.get("secure-image-cdn") ?? []).map((name) => [name.name, name] as const));
        expect(root.get("SecureImageCdn")).to.deep.include({ kind: "class", runtime: true });
        expect(root.get("SecurityLevel")).to.deep.include({ kind: "const + type", runtime: true });
        expect(root.get("SecureImageCdnArgs")).to.deep.include({ kind: "interface", runtime: false });
        expect(root.get("deployPolicies")).to.deep.include({ kind: "function", runtime: true });
    });
});
