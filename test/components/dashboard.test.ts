/**
 * The dashboard body (components/dashboard.ts) as CloudWatch reads it: valid
 * JSON, every metric an operator watches (requests, cache hit rate, 4xx
 * and 5xx rates, edge invocations, duration, errors, throttles, table
 * reads), each where AWS publishes it, and every edge widget naming its
 * region.
 */
import { expect } from "chai";
import { dashboardBody, DashboardInput, dashboardName, dashboardUrl, DashboardWidget, MetricWidget } from "../../components/dashboard";

const FUNCTION = "chat-edge-1a2b3c4";
const REPLICA = `us-east-1.${FUNCTION}`;
const EDGE_REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"];

function input(overrides: Partial<DashboardInput> = {}): DashboardInput {
    return {
        service: "chat",
        level: "required",
        distributionId: "E2EXAMPLE",
        additionalMetrics: true,
        edge: { functionName: FUNCTION, regions: EDGE_REGIONS },
        table: { name: "chat-table-9f8e7d6", region: "eu-west-1" },
        alarmArns: [
            "arn:aws:cloudwatch:us-east-1:123456789012:alarm:chat-alarm-5xx",
            "arn:aws:cloudwatch:eu-west-1:123456789012:alarm:chat-alarm-edge-errors-eu-west-1",
        ],
        ...overrides,
    };
}

/** The body as CloudWatch receives it: serialized, then parsed back. */
function serialized(body: unknown): { widgets: DashboardWidget[] } {
    const text = JSON.stringify(body);
    expect(text.length, "PutDashboard takes a body of at most 1 MB").to.be.below(1024 * 1024);
    return JSON.parse(text) as { widgets: DashboardWidget[] };
}

function metricWidgets(widgets: DashboardWidget[]): MetricWidget[] {
    return widgets.filter((w): w is MetricWidget => w.type === "metric");
}

/** Each metric line as `namespace metric stat dimension=value…`, with the widget's region. */
function lines(widgets: DashboardWidget[]): { region: string; title: string; line: string }[] {
    return metricWidgets(widgets).flatMap((widget) =>
        widget.properties.metrics.map((metric) => {
            const options = metric[metric.length - 1] as { stat: string };
            const parts = metric.slice(0, -1) as string[];
            const dims: string[] = [];
            for (let i = 2; i < parts.length; i += 2) dims.push(`${parts[i]}=${parts[i + 1]}`);
            return { region: widget.properties.region, title: widget.properties.title, line: `${parts[0]} ${parts[1]} ${options.stat} ${dims.join(" ")}` };
        }),
    );
}

describe("operations: the dashboard body", () => {
    it("names every metric an operator watches, each in the region AWS publishes it", () => {
        const all = lines(serialized(dashboardBody(input())).widgets);
        const at = (region: string) => all.filter((l) => l.region === region).map((l) => l.line);
        const cloudFront = "DistributionId=E2EXAMPLE Region=Global";
        expect(at("us-east-1")).to.include.members([
            `AWS/CloudFront Requests Sum ${cloudFront}`,
            `AWS/CloudFront CacheHitRate Average ${cloudFront}`,
            `AWS/CloudFront 4xxErrorRate Average ${cloudFront}`,
            `AWS/CloudFront 5xxErrorRate Average ${cloudFront}`,
            `AWS/CloudFront LambdaExecutionError Sum ${cloudFront}`,
            `AWS/CloudFront LambdaValidationError Sum ${cloudFront}`,
            `AWS/CloudFront LambdaLimitExceededErrors Sum ${cloudFront}`,
        ]);
        for (const region of EDGE_REGIONS) {
            expect(at(region), region).to.include.members([
                `AWS/Lambda Invocations Sum FunctionName=${REPLICA}`,
                `AWS/Lambda Duration p50 FunctionName=${REPLICA}`,
                `AWS/Lambda Duration p99 FunctionName=${REPLICA}`,
                `AWS/Lambda Errors Sum FunctionName=${REPLICA}`,
                `AWS/Lambda Throttles Sum FunctionName=${REPLICA}`,
            ]);
        }
        expect(at("eu-west-1")).to.include.members([
            "AWS/DynamoDB ConsumedReadCapacityUnits Sum TableName=chat-table-9f8e7d6",
            "AWS/DynamoDB ThrottledRequests Sum TableName=chat-table-9f8e7d6 Operation=GetItem",
        ]);
        // CloudFront's metrics exist only in us-east-1; Lambda's only where replicas ran.
        expect(all.filter((l) => l.line.startsWith("AWS/CloudFront ")).map((l) => l.region)).to.satisfy((regions: string[]) => regions.every((r) => r === "us-east-1"));
        expect(all.filter((l) => l.line.startsWith("AWS/Lambda ")).map((l) => l.region)).to.have.members(EDGE_REGIONS.flatMap((r) => [r, r, r, r, r]));
    });

    it("every edge widget names its region in its title and reads that region", () => {
        const edge = metricWidgets(serialized(dashboardBody(input())).widgets).filter((w) => w.properties.metrics.some((m) => m[0] === "AWS/Lambda"));
        expect(edge).to.have.length(EDGE_REGIONS.length * 3);
        for (const widget of edge) {
            expect(EDGE_REGIONS, widget.properties.title).to.include(widget.properties.region);
            expect(widget.properties.title).to.match(new RegExp(`— ${widget.properties.region}$`));
        }
    });

    it("shows the alarms' state, one widget per region holding that region's alarms", () => {
        const alarms = serialized(dashboardBody(input())).widgets.filter((w) => w.type === "alarm");
        expect(alarms.map((w) => w.properties)).to.deep.equal([
            { title: "Alarms — us-east-1", alarms: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:chat-alarm-5xx"] },
            { title: "Alarms — eu-west-1", alarms: ["arn:aws:cloudwatch:eu-west-1:123456789012:alarm:chat-alarm-edge-errors-eu-west-1"] },
        ]);
        const many = Array.from({ length: 150 }, (_, i) => `arn:aws:cloudwatch:us-east-1:123456789012:alarm:a${i}`);
        const split = serialized(dashboardBody(input({ alarmArns: many }))).widgets.filter((w) => w.type === "alarm");
        expect(split.map((w) => (w.properties as { alarms: string[] }).alarms.length)).to.deep.equal([100, 50]);
    });

    it("a public instance has the CloudFront row and no edge or table widgets; without additional metrics there is no cache hit rate graph", () => {
        const widgets = serialized(dashboardBody(input({ level: "public", edge: undefined, table: undefined, additionalMetrics: false }))).widgets;
        const names = lines(widgets).map((l) => l.line.split(" ").slice(0, 2).join(" "));
        expect(names).to.have.members(["AWS/CloudFront Requests", "AWS/CloudFront 4xxErrorRate", "AWS/CloudFront 5xxErrorRate"]);
        expect(JSON.stringify(widgets)).to.match(/additionalMetrics: false/);
    });

    it("widgets sit on the 24-column grid without overlapping", () => {
        const widgets = serialized(dashboardBody(input({ edge: { functionName: FUNCTION, regions: ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2", "ap-south-1", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "sa-east-1"] } }))).widgets;
        for (const w of widgets) expect(w.x + w.width, JSON.stringify(w)).to.be.at.most(24);
        for (let i = 0; i < widgets.length; i++) {
            for (let j = i + 1; j < widgets.length; j++) {
                const [a, b] = [widgets[i], widgets[j]];
                const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
                expect(overlap, `${JSON.stringify(a)} and ${JSON.stringify(b)}`).to.equal(false);
            }
        }
        expect(widgets.length, "CloudWatch allows 500 widgets per dashboard").to.be.below(500);
    });

    it("names and URLs: unique per project, stack and instance, in CloudWatch's characters, opened in the console", () => {
        expect(dashboardName("secure-image-cdn", "prod.eu", "chat")).to.equal("secure-image-cdn-prod-eu-chat");
        expect(dashboardName("p", "s", "a".repeat(300))).to.have.length(255);
        expect(dashboardUrl("aws", "secure-image-cdn-dev-chat")).to.equal("https://console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/secure-image-cdn-dev-chat");
        expect(dashboardUrl("aws-cn", "x")).to.match(/^https:\/\/console\.amazonaws\.cn\//);
        expect(() => dashboardUrl("aws-moon", "x")).to.throw(/no known console for partition aws-moon/);
    });
});
