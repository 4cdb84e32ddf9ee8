/**
 * Which service an instance serves, and how its children are labelled:
 * `service` and `tags`. The service names the instance's tags, log lines
 * and issuer settings; every taggable child carries the caller's tags plus
 * a `secure-image-cdn:service` tag.
 */
import * as pulumi from "@pulumi/pulumi";
import { MAX_USER_TAGS, serviceNameProblem } from "../../core/bounds";
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS_PER_RESOURCE, RESERVED_TAG_PREFIX } from "../../core/limits";
import { checked, fieldList, isOutputLike } from "./checks";

/** The service an instance serves and the tags of its children. */
export interface ServiceArgs {
    /**
     * Name of the service whose images this CDN serves; used in tags, log
     * lines and the issuer settings. 1-40 lowercase letters, digits and
     * single hyphens, starting with a letter.
     * @example "discussion"
     */
    service: string;
    /**
     * Tags added to every taggable child (besides a `secure-image-cdn:service`
     * tag). Keys are plain; values may be Outputs of other resources.
     * @default {}
     * @example { team: "media", "cost-center": "42" }
     */
    tags?: { [key: string]: pulumi.Input<string> };
}

/** The defaults of {@link ServiceArgs}. */
export const SERVICE_DEFAULTS = { tags: {} } as const;

/** The fields of {@link ServiceArgs}. */
export const SERVICE_FIELDS = fieldList<ServiceArgs>()(["service", "tags"]);

/** The tag every child carries, naming the service. */
export const SERVICE_TAG = "secure-image-cdn:service";

/** {@link ServiceArgs} resolved. */
export interface ResolvedService {
    service: string;
    /** User tags plus the service tag; plain values are checked, Output ones when they resolve ({@link checkTagValue}). */
    tags: Record<string, pulumi.Input<string>>;
}

/** Checks a name used to prefix child resource names (see `isServiceName`). */
export function validateInstanceName(name: unknown, field = "name"): string {
    return checked(name, field, serviceNameProblem(name)) as string;
}

/** The service name, checked. */
export function resolveServiceName(args: Pick<ServiceArgs, "service">): string {
    return validateInstanceName(args.service, "service");
}

/** The tags, checked (Output values when they resolve), with the service tag added. */
export function resolveTags(args: Pick<ServiceArgs, "tags">, service: string): Record<string, pulumi.Input<string>> {
    const tags = args.tags ?? SERVICE_DEFAULTS.tags;
    if (typeof tags !== "object" || tags === null || Array.isArray(tags)) throw new Error("tags must be an object of string values");
    const keys = Object.keys(tags);
    if (keys.length > MAX_USER_TAGS) {
        throw new Error(`tags may hold at most ${MAX_USER_TAGS} entries (got ${keys.length}); AWS allows ${MAX_TAGS_PER_RESOURCE} per resource and the component adds its own`);
    }
    for (const key of keys) {
        const value: unknown = (tags as Record<string, unknown>)[key];
        if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || key.toLowerCase().startsWith(RESERVED_TAG_PREFIX)) {
            throw new Error(`tags: key ${JSON.stringify(key)} must be 1-${MAX_TAG_KEY_LENGTH} characters and not start with "${RESERVED_TAG_PREFIX}"`);
        }
        if (key === SERVICE_TAG) throw new Error(`tags: key ${SERVICE_TAG} is set by the component`);
        if (!isOutputLike(value)) checkTagValue(key, value);
    }
    return { ...tags, [SERVICE_TAG]: service };
}

/** A tag value, plain or once its Output resolves. */
export function checkTagValue(key: string, value: unknown): string {
    if (typeof value !== "string" || value.length > MAX_TAG_VALUE_LENGTH) {
        throw new Error(`tags: value of ${JSON.stringify(key)} must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`);
    }
    return value;
}

/**
 * The tags with each Output value checked when it resolves, by the check
 * a plain value gets up front. Each checked value is an input of every
 * child it tags (an Output whose `apply` only checks), so a bad one fails
 * those children's registration.
 */
export function checkedTags(tags: Record<string, pulumi.Input<string>>): Record<string, pulumi.Input<string>> {
    return Object.fromEntries(
        Object.entries(tags).map(([key, value]) => [key, typeof value === "string" ? value : pulumi.output(value).apply((resolved) => checkTagValue(key, resolved))]),
    );
}
