/**
 * The local stack's port plan (local/ports.ts): one CDN port per service in
 * order, the fixed ports checked before anything starts (free-port ones
 * left out), and two parts on one port refused. Pure: no port is opened.
 */
import { expect } from "chai";
import { cdnPort, checkPortPlan, fixedPorts, portPlan } from "../../local/ports";

describe("local stack: ports", () => {
    describe("port plan", () => {
        it("gives each service its own CDN port, in order", () => {
            const plan = portPlan(4500);
            expect([0, 1, 2].map((i) => cdnPort(plan, i))).to.deep.equal([4510, 4511, 4512]);
            expect(cdnPort(portPlan(0), 3)).to.equal(0);
        });
        it("lists the fixed ports to check before starting, leaving out the free-port ones", () => {
            expect(fixedPorts(portPlan(4500), 2).map((entry) => entry.port)).to.deep.equal([4500, 4501, 4502, 4503, 4510, 4511]);
            expect(fixedPorts(portPlan(0), 2)).to.deep.equal([]);
            expect(fixedPorts(portPlan(0, { playground: 8080 }), 2)).to.deep.equal([{ port: 8080, what: "playground" }]);
        });
        it("refuses two parts on one port", () => {
            expect(() => checkPortPlan(portPlan(4500, { s3: 4511 }), 2)).to.throw(/both use port 4511/);
            expect(() => checkPortPlan(portPlan(4500, { s3: 4511 }), 1)).to.not.throw();
        });
    });
});
