/**
 * Reads a Pulumi stack config file (`Pulumi.<stack>.yaml`) the way the
 * program's `new pulumi.Config()` sees it: the `secure-image-cdn:services`
 * and `secure-image-cdn:overrides` keys, and `aws:region`.
 */
import * as fs from "fs";
import * as yaml from "js-yaml";
import { isRegionName } from "../core/limits";

export const CONFIG_NAMESPACE = "secure-image-cdn";

export interface StackConfig {
    /** The file it was read from. */
    file: string;
    /** `{ services?, overrides? }` for components/services.ts `planServices`. */
    services: { services?: unknown; overrides?: unknown };
    /** `aws:region`, when set. */
    region?: string;
}

/** Parses the text of a stack config file. */
export function parseStackConfig(text: string, file: string): StackConfig {
    // A file of nothing but comments is an empty stack config (js-yaml 5 calls it "no document").
    if (text.split("\n").every((line) => line.trim() === "" || line.trim().startsWith("#"))) return { file, services: {} };
    let document: unknown;
    try {
        document = yaml.load(text);
    } catch (error) {
        throw new Error(`${file} is not valid YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
    }
    if (document === undefined || document === null) return { file, services: {} };
    if (typeof document !== "object" || Array.isArray(document)) throw new Error(`${file}: expected a mapping with a "config" key`);
    const config = (document as { config?: unknown }).config;
    if (config === undefined || config === null) return { file, services: {} };
    if (typeof config !== "object" || Array.isArray(config)) throw new Error(`${file}: "config" must be a mapping`);
    const values = config as Record<string, unknown>;
    const services: StackConfig["services"] = {};
    if (values[`${CONFIG_NAMESPACE}:services`] !== undefined) services.services = values[`${CONFIG_NAMESPACE}:services`];
    if (values[`${CONFIG_NAMESPACE}:overrides`] !== undefined) services.overrides = values[`${CONFIG_NAMESPACE}:overrides`];
    const region = values["aws:region"];
    if (region !== undefined && !isRegionName(region)) {
        throw new Error(`${file}: aws:region must be a region name like eu-west-1 (got ${JSON.stringify(region)})`);
    }
    return region === undefined ? { file, services } : { file, services, region };
}

/** Reads and parses a stack config file; a missing file is a clear error. */
export function readStackConfig(file: string): StackConfig {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        const code = (error as { code?: string }).code;
        throw new Error(code === "ENOENT" ? `stack config ${file} does not exist` : `cannot read stack config ${file} (${code ?? String(error)})`);
    }
    return parseStackConfig(text, file);
}
