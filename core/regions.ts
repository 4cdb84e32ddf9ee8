/**
 * Where AWS regions are, for choosing the nearest copy of the table: the
 * edge function runs in the region of the regional edge cache nearest each
 * viewer and reads whichever copy of the table is nearest that region.
 *
 * AWS names each region after the place it is in (AWS General Reference,
 * "AWS Regions": "US East (N. Virginia)", "Asia Pacific (Sydney)", …) and
 * does not publish where its data centres are. Each entry is the named
 * place's coordinates (the city's, or for a state or country the metro area
 * AWS is known to build in), rounded to a tenth of a degree. The distances
 * only rank copies and feed the benchmarks' latency model: an error of tens
 * of kilometres changes neither.
 *
 * Plain data and arithmetic: the edge bundle carries this table, so the
 * choice costs no request.
 */
import type { PriceClass } from "./enums";


export interface RegionLocation {
    /** The place AWS names the region after. */
    place: string;
    /** Degrees north. */
    lat: number;
    /** Degrees east. */
    lon: number;
}

/** Every commercial AWS region a DynamoDB global table can have a replica in, by code. */
export const REGION_LOCATIONS: Readonly<Record<string, RegionLocation>> = {
    "us-east-1": { place: "N. Virginia (Ashburn)", lat: 39.0, lon: -77.5 },
    "us-east-2": { place: "Ohio (Columbus)", lat: 40.0, lon: -83.0 },
    "us-west-1": { place: "N. California (San Jose)", lat: 37.3, lon: -121.9 },
    "us-west-2": { place: "Oregon (Boardman)", lat: 45.8, lon: -119.7 },
    "ca-central-1": { place: "Canada (Montreal)", lat: 45.5, lon: -73.6 },
    "ca-west-1": { place: "Canada West (Calgary)", lat: 51.0, lon: -114.1 },
    "mx-central-1": { place: "Mexico (Querétaro)", lat: 20.6, lon: -100.4 },
    "sa-east-1": { place: "São Paulo", lat: -23.5, lon: -46.6 },
    "eu-west-1": { place: "Ireland (Dublin)", lat: 53.3, lon: -6.3 },
    "eu-west-2": { place: "London", lat: 51.5, lon: -0.1 },
    "eu-west-3": { place: "Paris", lat: 48.9, lon: 2.4 },
    "eu-central-1": { place: "Frankfurt", lat: 50.1, lon: 8.7 },
    "eu-central-2": { place: "Zurich", lat: 47.4, lon: 8.5 },
    "eu-north-1": { place: "Stockholm", lat: 59.3, lon: 18.1 },
    "eu-south-1": { place: "Milan", lat: 45.5, lon: 9.2 },
    "eu-south-2": { place: "Spain (Zaragoza)", lat: 41.6, lon: -0.9 },
    "il-central-1": { place: "Israel (Tel Aviv)", lat: 32.1, lon: 34.8 },
    "me-south-1": { place: "Bahrain (Manama)", lat: 26.2, lon: 50.6 },
    "me-central-1": { place: "UAE (Abu Dhabi)", lat: 24.5, lon: 54.4 },
    "af-south-1": { place: "Cape Town", lat: -33.9, lon: 18.4 },
    "ap-south-1": { place: "Mumbai", lat: 19.1, lon: 72.9 },
    "ap-south-2": { place: "Hyderabad", lat: 17.4, lon: 78.5 },
    "ap-east-1": { place: "Hong Kong", lat: 22.3, lon: 114.2 },
    "ap-east-2": { place: "Taipei", lat: 25.0, lon: 121.6 },
    "ap-northeast-1": { place: "Tokyo", lat: 35.7, lon: 139.7 },
    "ap-northeast-2": { place: "Seoul", lat: 37.6, lon: 127.0 },
    "ap-northeast-3": { place: "Osaka", lat: 34.7, lon: 135.5 },
    "ap-southeast-1": { place: "Singapore", lat: 1.4, lon: 103.8 },
    "ap-southeast-2": { place: "Sydney", lat: -33.9, lon: 151.2 },
    "ap-southeast-3": { place: "Jakarta", lat: -6.2, lon: 106.8 },
    "ap-southeast-4": { place: "Melbourne", lat: -37.8, lon: 145.0 },
    "ap-southeast-5": { place: "Malaysia (Kuala Lumpur)", lat: 3.1, lon: 101.7 },
    "ap-southeast-7": { place: "Thailand (Bangkok)", lat: 13.8, lon: 100.5 },
};

/** True for a region code in {@link REGION_LOCATIONS}. */
export function isKnownRegion(region: unknown): region is string {
    return typeof region === "string" && Object.prototype.hasOwnProperty.call(REGION_LOCATIONS, region);
}

/** Mean radius of the Earth, km (IUGG). */
const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance between two known regions, km (haversine); 0 for a region and itself. */
export function regionDistanceKm(from: string, to: string): number {
    if (from === to) return 0;
    const a = REGION_LOCATIONS[from];
    const b = REGION_LOCATIONS[to];
    if (!a || !b) throw new Error(`no location known for ${a ? to : from}`);
    const rad = Math.PI / 180;
    const dLat = (b.lat - a.lat) * rad;
    const dLon = (b.lon - a.lon) * rad;
    const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}


/**
 * The regions where Lambda@Edge runs, logs and reports metrics for a
 * distribution of each price class: those of the regional edge caches that
 * serve the price class's geographic regions. A replica runs in the region
 * of the regional edge cache nearest the edge location that took the request
 * (CloudFront Developer Guide, "Edge function logs": log streams are created
 * "in the AWS Regions where the functions are invoked"), and each price class
 * serves these geographic regions (CloudFront Developer Guide, "Choose the
 * price class for a CloudFront distribution"):
 *
 * - `PriceClass_100`: North America (us-east-1, us-east-2, us-west-1,
 *   us-west-2) and Europe and Israel (eu-central-1, eu-west-1, eu-west-2);
 * - `PriceClass_200`: those, plus South Africa, Kenya and the Middle East,
 *   Japan, Hong Kong, Indonesia, the Philippines, Singapore, South Korea,
 *   Taiwan, Thailand and India, whose regional edge caches are in
 *   ap-south-1, ap-northeast-1, ap-northeast-2 and ap-southeast-1 — but not
 *   South America or Australia and New Zealand;
 * - `PriceClass_All`: every regional edge cache, adding sa-east-1 (South
 *   America) and ap-southeast-2 (Australia and New Zealand).
 *
 * AWS publishes where its regional edge caches are (the CloudFront key
 * features page, "Global edge network") but not as region codes, so this is
 * the one place to update when it grows. The same guide notes that CloudFront
 * occasionally serves a request from a location outside the price class, so a
 * function can now and then run elsewhere too.
 */
export const EDGE_REGIONS_BY_PRICE_CLASS: Readonly<Record<PriceClass, readonly string[]>> = {
    PriceClass_100: ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-central-1", "eu-west-1", "eu-west-2"],
    PriceClass_200: [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
    ],
    PriceClass_All: [
        "us-east-1",
        "us-east-2",
        "us-west-1",
        "us-west-2",
        "eu-central-1",
        "eu-west-1",
        "eu-west-2",
        "ap-south-1",
        "ap-northeast-1",
        "ap-northeast-2",
        "ap-southeast-1",
        "ap-southeast-2",
        "sa-east-1",
    ],
};

/**
 * Every region with a regional edge cache: where an edge function may run
 * whatever the price class, since CloudFront now and then serves a request
 * from a location outside it.
 */
export const REGIONAL_EDGE_CACHE_REGIONS: readonly string[] = EDGE_REGIONS_BY_PRICE_CLASS.PriceClass_All;

/** The regions where an edge function of a distribution of this price class may run (see {@link EDGE_REGIONS_BY_PRICE_CLASS}). */
export function edgeRegionsOf(priceClass: PriceClass): readonly string[] {
    return EDGE_REGIONS_BY_PRICE_CLASS[priceClass];
}
