/**
 * The services whose images this product guards, each with its security
 * level, as data, and the pure step from a stack's config to the list of
 * instances it deploys.
 */
import type { SecurityLevel } from "../core/enums";
import { DEFAULT_VARIANT_PRESETS } from "../core/variants";
import type { VariantCatalogue } from "../core/variants";
import type { SecureImageCdnArgs } from "./args";
import { ARG_KEYS } from "./args";
import { resolveArgs } from "./resolve-args";

export interface ServiceEntry {
    /** How strictly the service's images are guarded. */
    level: SecurityLevel;
    /** Whether a stack with no `services` config deploys it. */
    deployedByDefault: boolean;
    /** What the service's images are. */
    description: string;
    /**
     * The service's image variants when its stack config says nothing of
     * them (and it delivers in origin mode): an override's `variants`
     * replaces them, `{}` turns them off.
     */
    variants?: VariantCatalogue;
}

/**
 * The service requirements: discussion and chat images need hash URLs,
 * marketplace and nudges images are public, regulatory notices are secured
 * (already served elsewhere; supported here, not deployed by default).
 *
 * Variants: discussion and chat get the default catalogue (a 256-px
 * thumbnail made at upload, 640 and 1600 px on demand): both show images
 * in lists and threads, where a thumbnail replaces a phone photo of several
 * megabytes. Regulatory notices get none: a notice is read one at a time,
 * at full size, and the documents are few, so a resizer would only add a
 * function to watch. The public services cannot have them (no gate).
 */
export const SERVICE_CATALOG = {
    discussion: { level: "required", deployedByDefault: true, description: "Private forums: images visible to members only.", variants: DEFAULT_VARIANT_PRESETS },
    chat: { level: "required", deployedByDefault: true, description: "Simple chat: images sent in direct messages.", variants: DEFAULT_VARIANT_PRESETS },
    marketplace: { level: "public", deployedByDefault: false, description: "Open listings: anyone may see them, no signing needed." },
    nudges: { level: "public", deployedByDefault: false, description: "Behavioural nudges: promotional images, no signing needed." },
    regulatory: {
        level: "secured",
        deployedByDefault: false,
        description: "Regulatory notice updates: already implemented elsewhere; supported here, not deployed by default.",
    },
} as const satisfies Record<string, ServiceEntry>;

export type ServiceName = keyof typeof SERVICE_CATALOG;

export const SERVICE_NAMES = Object.keys(SERVICE_CATALOG) as ServiceName[];

/** Per-service overrides of the args; `service` itself is the catalog key. */
export type ServiceOverrides = Partial<Omit<SecureImageCdnArgs, "service">>;

/** The stack config (`secure-image-cdn:services`, `secure-image-cdn:overrides`). */
export interface ServicesConfig {
    /** Services to deploy. @default the catalog's `deployedByDefault` ones (discussion, chat) */
    services?: string[];
    /** Arg overrides by service name; only for deployed services. */
    overrides?: Record<string, ServiceOverrides>;
}

export interface PlannedService {
    name: ServiceName;
    args: SecureImageCdnArgs;
}

/** The services deployed when the config names none. */
export function defaultServices(): ServiceName[] {
    return SERVICE_NAMES.filter((name) => SERVICE_CATALOG[name].deployedByDefault);
}

/**
 * Turns the stack config into the instances to deploy, in the catalog's
 * order. Unknown services, overrides of services not deployed, unknown or
 * invalid override fields all throw, naming the config key.
 */
export function planServices(config: unknown): PlannedService[] {
    const given = config ?? {};
    if (typeof given !== "object" || Array.isArray(given)) {
        throw new Error("services config must be an object with optional `services` and `overrides`");
    }
    const { services, overrides, ...rest } = given as Record<string, unknown>;
    if (Object.keys(rest).length > 0) {
        throw new Error(`services config: unknown key(s) ${Object.keys(rest).join(", ")} (known: services, overrides)`);
    }

    let names: ServiceName[];
    if (services === undefined) {
        names = defaultServices();
    } else {
        if (!Array.isArray(services) || !services.every((item) => typeof item === "string")) {
            throw new Error(`secure-image-cdn:services must be a list of service names (got ${JSON.stringify(services)})`);
        }
        const unknown = services.filter((item) => !isCatalogService(item));
        if (unknown.length > 0) {
            throw new Error(`secure-image-cdn:services: unknown service(s) ${unknown.join(", ")} (known: ${SERVICE_NAMES.join(", ")})`);
        }
        const repeated = services.filter((item, index) => services.indexOf(item) !== index);
        if (repeated.length > 0) throw new Error(`secure-image-cdn:services lists ${[...new Set(repeated)].join(", ")} more than once`);
        if (services.length === 0) throw new Error("secure-image-cdn:services is empty: name at least one service");
        names = SERVICE_NAMES.filter((name) => services.includes(name));
    }

    const overrideMap = overrides ?? {};
    if (typeof overrideMap !== "object" || overrideMap === null || Array.isArray(overrideMap)) {
        throw new Error("secure-image-cdn:overrides must be an object keyed by service name");
    }
    const overridden = overrideMap as Record<string, unknown>;
    for (const key of Object.keys(overridden)) {
        if (!isCatalogService(key)) {
            throw new Error(`secure-image-cdn:overrides: unknown service ${key} (known: ${SERVICE_NAMES.join(", ")})`);
        }
        if (!names.includes(key)) {
            throw new Error(`secure-image-cdn:overrides.${key}: service ${key} is not deployed by this stack (services: ${names.join(", ")})`);
        }
    }

    return names.map((name) => {
        const override = overridden[name] ?? {};
        if (typeof override !== "object" || override === null || Array.isArray(override)) {
            throw new Error(`secure-image-cdn:overrides.${name} must be an object of SecureImageCdn args`);
        }
        const fields = Object.keys(override);
        if (fields.includes("service")) {
            throw new Error(`secure-image-cdn:overrides.${name}.service cannot be set: the service name is the catalog key`);
        }
        const unknownFields = fields.filter((field) => !(ARG_KEYS as readonly string[]).includes(field));
        if (unknownFields.length > 0) {
            throw new Error(`secure-image-cdn:overrides.${name}: unknown field(s) ${unknownFields.join(", ")}`);
        }
        const args: SecureImageCdnArgs = { level: SERVICE_CATALOG[name].level, ...catalogueVariants(name, override as ServiceOverrides), ...(override as ServiceOverrides), service: name };
        try {
            resolveArgs(args);
        } catch (error) {
            throw new Error(`secure-image-cdn:overrides.${name}: ${(error as Error).message}`);
        }
        return { name, args };
    });
}

/**
 * The service's own variants, unless its overrides set `variants` (theirs
 * win, `{}` meaning none) or deliver by redirect, where variants cannot be
 * had: a service's default never makes an override invalid.
 */
function catalogueVariants(name: ServiceName, override: ServiceOverrides): Pick<SecureImageCdnArgs, "variants"> {
    const entry: ServiceEntry = SERVICE_CATALOG[name];
    if (entry.variants === undefined || "variants" in override || (override.mode ?? "origin") !== "origin") return {};
    return { variants: Object.fromEntries(Object.entries(entry.variants).map(([preset, options]) => [preset, { ...options, formats: [...options.formats] }])) };
}

function isCatalogService(value: string): value is ServiceName {
    return Object.prototype.hasOwnProperty.call(SERVICE_CATALOG, value);
}
