/**
 * Removing an AVIF's metadata without touching its pixels. An AVIF is a
 * HEIF file (ISO/IEC 23008-12) in the ISO base media file format (ISO/IEC
 * 14496-12): the `meta` box lists items (`iinf`), where each item's bytes
 * are (`iloc`: in `mdat` by file offset, or in the `meta` box's own `idat`),
 * how items refer to each other (`iref`), and their properties (`iprp`:
 * the property boxes in `ipco`, and which item has which in `ipma`). EXIF
 * is an item of type `Exif`, XMP an item of type `mime` with content type
 * `application/rdf+xml`, each tied to the image by a `cdsc` reference; a
 * thumbnail is an image item with a `thmb` reference.
 *
 * The walk keeps an allowlist and drops everything else, rewriting the
 * tables and every offset that moves:
 * - items of the types that make up the picture (`av01` coded images,
 *   `grid`, `iovl` and `iden` derived images, `tmap` gain maps) except
 *   thumbnails; every other item (`Exif`, `mime`, `uri `, …) goes with its
 *   `iinf`, `iloc`, `iref` and `ipma` entries and its bytes in `mdat` or
 *   `idat`;
 * - properties that decoding and display need (codec configuration, size,
 *   colour with its ICC profile, rotation, mirroring, crop, aspect, alpha,
 *   HDR levels, layers); others (such as `udes`, a user description) go, and
 *   the property indices in `ipma` are renumbered;
 * - the `meta` children HEIF defines for items; the top-level `ftyp`,
 *   `meta` and `mdat` (padding and unknown boxes go).
 *
 * The coded image bytes are copied as they are, so the pixels decode
 * identically. What the walk does not handle (an image sequence's `moov`,
 * items in another file or built from other items' bytes, a removed item
 * that a kept one depends on, an essential property it does not know,
 * truncated or overrunning boxes) is refused with RefusedContentError, and
 * the caller falls back to re-encoding (avif.ts).
 */
import { inspectExif } from "./exif";
import { Box, box, BoxError, fourCC, fullBoxHeader, readBoxes, Reader, Writer } from "./isobmff";
import { Assembly, concat, refuse, StrippedImage } from "./stripped";

/** Item types that make up the picture. */
const PICTURE_ITEM_TYPES = new Set(["av01", "grid", "iovl", "iden", "tmap"]);

/**
 * Properties decoding and display need: AV1 configuration and operating
 * point / layer selection (`av1C`, `a1op`, `a1lx`, `lsel`), size and bit
 * depth (`ispe`, `pixi`), colour (`colr`, with the ICC profile), orientation
 * and geometry (`irot`, `imir`, `clap`, `pasp`, `rloc`, `iscl`), alpha and
 * other auxiliary images (`auxC`), HDR levels (`clli`, `mdcv`, `cclv`,
 * `amve`), coding constraints (`ccst`).
 */
const PICTURE_PROPERTIES = new Set(["av1C", "a1op", "a1lx", "lsel", "ispe", "pixi", "colr", "irot", "imir", "clap", "pasp", "rloc", "iscl", "auxC", "clli", "mdcv", "cclv", "amve", "ccst"]);

/** The `meta` children HEIF defines for an image's items. */
const ITEM_META_BOXES = new Set(["hdlr", "pitm", "iloc", "iinf", "iref", "iprp", "idat", "dinf", "grpl"]);

/** References a kept item may drop when their target is removed: they only describe it. */
const DESCRIPTIVE_REFERENCES = new Set(["cdsc", "thmb"]);

interface Item {
    id: number;
    type: string;
    contentType?: string;
    /** The `infe` box, copied as it is when the item stays. */
    infe: Box;
}

interface Extent {
    index: number;
    offset: number;
    length: number;
}

interface Location {
    id: number;
    constructionMethod: number;
    dataReferenceIndex: number;
    baseOffset: number;
    extents: Extent[];
}

interface ItemLocations {
    version: number;
    flags: number;
    offsetSize: number;
    lengthSize: number;
    baseOffsetSize: number;
    indexSize: number;
    locations: Location[];
}

interface Reference {
    type: string;
    from: number;
    to: number[];
}

interface Association {
    essential: boolean;
    /** 1-based index into `ipco`; 0 means none. */
    index: number;
}

interface PropertyAssociations {
    version: number;
    flags: number;
    entries: { id: number; associations: Association[] }[];
}

/** A byte range of the input and where it lands in the output. */
interface Piece {
    from: number;
    length: number;
    to: number;
}

/** Removes an AVIF's metadata losslessly; RefusedContentError for a file the walk does not handle. */
export function stripAvifContainer(input: Uint8Array): StrippedImage {
    try {
        return walk(input);
    } catch (error) {
        if (error instanceof BoxError) throw refuse("AVIF", error.message, error);
        throw error;
    }
}

function walk(input: Uint8Array): StrippedImage {
    const out = new Assembly();
    const top = readBoxes(input, 0, input.length, true);
    if (top[0]?.type !== "ftyp") throw new BoxError("it does not start with 'ftyp'");
    if (top.some((b) => b.type === "moov")) throw new BoxError("it is an image sequence ('moov'), which the walk does not rewrite");
    const metas = top.filter((b) => b.type === "meta");
    if (metas.length !== 1) throw new BoxError(`it has ${metas.length} top-level 'meta' boxes`);
    const meta = metas[0];
    for (const b of top) if (!["ftyp", "meta", "mdat"].includes(b.type)) out.remove(`avif:${printable(b.type)}`);

    const metaHeader = new Reader(input, meta.payload, meta.end, "meta").fullBox();
    const children = readBoxes(input, meta.payload + 4, meta.end);
    const only = (type: string): Box | undefined => {
        const found = children.filter((b) => b.type === type);
        if (found.length > 1) throw new BoxError(`'meta' has ${found.length} '${type}' boxes`);
        return found[0];
    };
    const required = (type: string): Box => {
        const found = only(type);
        if (!found) throw new BoxError(`'meta' has no '${type}'`);
        return found;
    };
    for (const child of children) if (!ITEM_META_BOXES.has(child.type)) out.remove(`avif:${printable(child.type)}`);

    const primary = readPrimary(input, required("pitm"));
    const items = readItems(input, required("iinf"));
    const iinfHeader = new Reader(input, required("iinf").payload, required("iinf").end, "iinf").fullBox();
    const locations = readLocations(input, required("iloc"));
    const irefBox = only("iref");
    const references = irefBox ? readReferences(input, irefBox) : { version: 0, flags: 0, references: [] as Reference[] };
    const iprp = required("iprp");
    const iprpChildren = readBoxes(input, iprp.payload, iprp.end);
    const ipcos = iprpChildren.filter((b) => b.type === "ipco");
    if (ipcos.length !== 1) throw new BoxError(`'iprp' has ${ipcos.length} 'ipco' boxes`);
    const properties = readBoxes(input, ipcos[0].payload, ipcos[0].end);
    const ipmas = iprpChildren.filter((b) => b.type === "ipma").map((b) => readAssociations(input, b));
    for (const child of iprpChildren) if (child.type !== "ipco" && child.type !== "ipma") out.remove(`avif:${printable(child.type)}`);
    const idat = only("idat");

    // Which items go.
    const removed = new Map<number, Item>();
    for (const item of items.values()) if (!PICTURE_ITEM_TYPES.has(item.type)) removed.set(item.id, item);
    const thumbnails = new Set(references.references.filter((r) => r.type === "thmb").map((r) => r.from));
    for (const id of thumbnails) {
        const item = items.get(id);
        if (item) removed.set(id, item);
    }
    if (!items.has(primary)) throw new BoxError(`the primary item ${primary} is not listed`);
    if (removed.has(primary)) throw new BoxError(`the primary item is of type '${printable(items.get(primary)?.type ?? "")}'`);
    for (const reference of references.references) {
        if (removed.has(reference.from)) continue;
        if (reference.to.some((id) => removed.has(id)) && !DESCRIPTIVE_REFERENCES.has(reference.type)) {
            throw new BoxError(`a kept item depends on a removed one through '${printable(reference.type)}'`);
        }
    }
    const groups = only("grpl");
    if (groups) for (const id of entityIds(input, groups)) if (removed.has(id)) throw new BoxError("an entity group names a removed item");

    // Which properties go: unknown ones, unless a kept item needs them.
    const keptProperty = properties.map((p) => PICTURE_PROPERTIES.has(p.type));
    for (const ipma of ipmas) {
        for (const entry of ipma.entries) {
            if (removed.has(entry.id)) continue;
            for (const a of entry.associations) {
                if (a.index > properties.length) throw new BoxError(`'ipma' names property ${a.index} of ${properties.length}`);
                if (a.index > 0 && !keptProperty[a.index - 1] && a.essential) {
                    throw new BoxError(`a kept item has an essential property '${printable(properties[a.index - 1].type)}' the walk does not know`);
                }
            }
        }
    }
    properties.forEach((p, i) => {
        if (!keptProperty[i]) out.remove(`avif:${printable(p.type)}`);
    });
    const newIndex: number[] = [];
    let next = 1;
    keptProperty.forEach((kept, i) => (newIndex[i + 1] = kept ? next++ : 0));

    // What each removed item held, and the byte ranges that go with it.
    const mdats = top.filter((b) => b.type === "mdat");
    const fileCuts: [number, number][] = [];
    const idatCuts: [number, number][] = [];
    const kept: Location[] = [];
    for (const location of locations.locations) {
        const item = items.get(location.id);
        if (!item) throw new BoxError(`'iloc' places item ${location.id}, which 'iinf' does not list`);
        if (location.dataReferenceIndex !== 0) throw new BoxError("an item's data is in another file");
        if (location.constructionMethod > 1) throw new BoxError(`an item is built with construction method ${location.constructionMethod}`);
        for (const extent of location.extents) if (extent.length === 0) throw new BoxError("an extent runs to the end of the file");
        if (!removed.has(location.id)) {
            kept.push(location);
            continue;
        }
        const ranges = location.extents.map((e) => [location.baseOffset + e.offset, location.baseOffset + e.offset + e.length] as [number, number]);
        if (location.constructionMethod === 0) {
            for (const [from, to] of ranges) {
                if (!mdats.some((m) => from >= m.payload && to <= m.end)) throw new BoxError("a removed item's data lies outside 'mdat'");
            }
            fileCuts.push(...ranges);
        } else {
            if (!idat) throw new BoxError("an item is in 'idat', and there is none");
            for (const [from, to] of ranges) if (to > idat.end - idat.payload) throw new BoxError("a removed item's data overruns 'idat'");
            idatCuts.push(...ranges);
        }
        const payload = concat(ranges.map(([from, to]) => (location.constructionMethod === 0 ? input.subarray(from, to) : input.subarray(idat!.payload + from, idat!.payload + to))));
        out.remove(...kindsOf(item, payload, thumbnails.has(item.id)));
    }
    for (const item of removed.values()) if (!locations.locations.some((l) => l.id === item.id)) out.remove(...kindsOf(item, new Uint8Array(), thumbnails.has(item.id)));

    for (const property of properties) {
        if (property.type === "colr" && property.end - property.payload >= 4 && ["prof", "rICC"].includes(fourCC(input, property.payload))) out.keep("icc");
    }
    if (!out.changed) return out.finish(input);

    // The kept bytes of each mdat and of idat, and where they land.
    const mdatPieces = new Map<Box, Piece[]>();
    for (const mdat of mdats) mdatPieces.set(mdat, keptRanges(mdat.payload, mdat.end, fileCuts));
    const idatPieces = idat ? keptRanges(0, idat.end - idat.payload, idatCuts) : [];
    for (const location of kept) {
        for (const extent of location.extents) {
            const from = location.baseOffset + extent.offset;
            const cuts = location.constructionMethod === 0 ? fileCuts : idatCuts;
            if (cuts.some(([a, b]) => from < b && a < from + extent.length)) throw new BoxError("a kept item's data overlaps a removed item's");
        }
    }
    const newIdat = idat ? box("idat", ...idatPieces.map((p) => input.subarray(idat.payload + p.from, idat.payload + p.from + p.length))) : undefined;
    layOut(idatPieces, 0);

    const metaWith = (iloc: Uint8Array): Uint8Array => {
        const parts: Uint8Array[] = [];
        for (const child of children) {
            switch (child.type) {
                case "iloc":
                    parts.push(iloc);
                    break;
                case "iinf":
                    parts.push(box("iinf", fullBoxHeader(iinfHeader.version, iinfHeader.flags), countField(iinfHeader.version, items.size - removed.size), ...[...items.values()].filter((i) => !removed.has(i.id)).map((i) => input.subarray(i.infe.start, i.infe.end))));
                    break;
                case "iref": {
                    const rewritten = writeReferences(references, removed);
                    if (rewritten) parts.push(rewritten);
                    break;
                }
                case "iprp":
                    parts.push(
                        box(
                            "iprp",
                            box("ipco", ...properties.filter((_, i) => keptProperty[i]).map((p) => input.subarray(p.start, p.end))),
                            ...ipmas.map((ipma) => writeAssociations(ipma, removed, newIndex)),
                        ),
                    );
                    break;
                case "idat":
                    parts.push(newIdat as Uint8Array);
                    break;
                default:
                    if (ITEM_META_BOXES.has(child.type)) parts.push(input.subarray(child.start, child.end));
            }
        }
        return box("meta", fullBoxHeader(metaHeader.version, metaHeader.flags), ...parts);
    };

    // The iloc's size does not depend on the offsets it holds: lay out with a placeholder, then write the real one.
    const placeholder = writeLocations(locations, kept, () => 0, () => 0);
    const metaSize = metaWith(placeholder).length;
    const filePieces: Piece[] = [];
    const output: (Uint8Array | Box)[] = [];
    let at = 0;
    for (const b of top) {
        if (b.type === "ftyp") {
            filePieces.push({ from: b.start, length: b.end - b.start, to: at });
            at += b.end - b.start;
            output.push(b);
        } else if (b.type === "meta") {
            at += metaSize;
            output.push(b);
        } else if (b.type === "mdat") {
            const pieces = mdatPieces.get(b) as Piece[];
            const length = pieces.reduce((sum, p) => sum + p.length, 0);
            const header = length + 8 > 0xffffffff ? 16 : 8;
            at += header;
            at = layOut(pieces, at);
            filePieces.push(...pieces);
            output.push(b);
        }
    }
    const mapFile = (offset: number, length: number) => mapped(filePieces, offset, length);
    const mapIdat = (offset: number, length: number) => mapped(idatPieces, offset, length);
    const metaBytes = metaWith(writeLocations(locations, kept, mapFile, mapIdat));
    if (metaBytes.length !== metaSize) throw new BoxError("the rewritten 'iloc' changed size");
    for (const part of output) {
        const b = part as Box;
        if (b.type === "ftyp") out.push(input.subarray(b.start, b.end));
        else if (b.type === "meta") out.push(metaBytes);
        else out.push(box("mdat", ...(mdatPieces.get(b) as Piece[]).map((p) => input.subarray(p.from, p.from + p.length))));
    }
    return out.finish(input);
}

/** The kept parts of `[from, to)` once `cuts` are taken out, each with `to` still unset. */
function keptRanges(from: number, to: number, cuts: readonly [number, number][]): Piece[] {
    const inside = cuts.filter(([a, b]) => a < to && b > from).sort((x, y) => x[0] - y[0]);
    const pieces: Piece[] = [];
    let at = from;
    for (const [a, b] of inside) {
        if (a > at) pieces.push({ from: at, length: a - at, to: 0 });
        at = Math.max(at, b);
    }
    if (at < to) pieces.push({ from: at, length: to - at, to: 0 });
    return pieces;
}

/** Places `pieces` one after the other from `start`; returns where they end. */
function layOut(pieces: Piece[], start: number): number {
    let at = start;
    for (const piece of pieces) {
        piece.to = at;
        at += piece.length;
    }
    return at;
}

/** Where `[offset, offset + length)` of the input lands; it must lie inside one kept piece. */
function mapped(pieces: readonly Piece[], offset: number, length: number): number {
    const piece = pieces.find((p) => offset >= p.from && offset + length <= p.from + p.length);
    if (!piece) throw new BoxError("an item's data does not lie in what is kept");
    return piece.to + (offset - piece.from);
}

/** What a removed item held, in the kinds `removed` reports. */
function kindsOf(item: Item, payload: Uint8Array, thumbnail: boolean): string[] {
    if (thumbnail) return ["avif:thumbnail"];
    if (item.type === "Exif") return inspectExif(tiffStart(payload)).kinds;
    if (item.type === "mime") return /xml|rdf/i.test(item.contentType ?? "") ? ["xmp"] : ["avif:mime"];
    return [`avif:${printable(item.type)}`];
}

/** The TIFF header inside an EXIF payload of unknown framing: the first `II*\0` or `MM\0*` in its opening bytes. */
export function tiffStart(exif: Uint8Array): Uint8Array {
    for (let at = 0; at + 4 <= Math.min(exif.length, 16); at++) {
        const b = exif.subarray(at, at + 4);
        if ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)) {
            return exif.subarray(at);
        }
    }
    return exif;
}

/** A four-character type as it may appear in a report: letters, digits and spaces only. */
function printable(type: string): string {
    return /^[A-Za-z0-9 ]{4}$/.test(type) ? type.trimEnd() : "unknown";
}

function countField(version: number, count: number): Uint8Array {
    return version === 0 ? new Writer().u16(count).bytes() : new Writer().u32(count).bytes();
}

function readPrimary(input: Uint8Array, pitm: Box): number {
    const r = new Reader(input, pitm.payload, pitm.end, "pitm");
    const { version } = r.fullBox();
    return version === 0 ? r.u16() : r.u32();
}

function readItems(input: Uint8Array, iinf: Box): Map<number, Item> {
    const r = new Reader(input, iinf.payload, iinf.end, "iinf");
    const { version } = r.fullBox();
    const count = version === 0 ? r.u16() : r.u32();
    const entries = readBoxes(input, r.at, iinf.end);
    if (entries.length !== count || entries.some((e) => e.type !== "infe")) throw new BoxError(`'iinf' announces ${count} entries and holds ${entries.length}`);
    const items = new Map<number, Item>();
    for (const infe of entries) {
        const e = new Reader(input, infe.payload, infe.end, "infe");
        const { version: v } = e.fullBox();
        if (v !== 2 && v !== 3) throw new BoxError(`an 'infe' of version ${v}`);
        const id = v === 2 ? e.u16() : e.u32();
        if (e.u16() !== 0) throw new BoxError("a protected item");
        const type = e.fourCC();
        e.string();
        const contentType = type === "mime" ? e.string() : undefined;
        if (items.has(id)) throw new BoxError(`item ${id} is listed twice`);
        items.set(id, { id, type, ...(contentType !== undefined ? { contentType } : {}), infe });
    }
    return items;
}

function readLocations(input: Uint8Array, iloc: Box): ItemLocations {
    const r = new Reader(input, iloc.payload, iloc.end, "iloc");
    const { version, flags } = r.fullBox();
    if (version > 2) throw new BoxError(`an 'iloc' of version ${version}`);
    const sizes = r.u8();
    const more = r.u8();
    const header = { version, flags, offsetSize: sizes >> 4, lengthSize: sizes & 15, baseOffsetSize: more >> 4, indexSize: version >= 1 ? more & 15 : 0 };
    for (const size of [header.offsetSize, header.lengthSize, header.baseOffsetSize, header.indexSize]) if (![0, 4, 8].includes(size)) throw new BoxError(`an 'iloc' field of ${size} bytes`);
    const count = version < 2 ? r.u16() : r.u32();
    const locations: Location[] = [];
    for (let i = 0; i < count; i++) {
        const id = version < 2 ? r.u16() : r.u32();
        const constructionMethod = version >= 1 ? r.u16() & 15 : 0;
        const dataReferenceIndex = r.u16();
        const baseOffset = r.uint(header.baseOffsetSize);
        const extentCount = r.u16();
        const extents: Extent[] = [];
        for (let j = 0; j < extentCount; j++) {
            const index = version >= 1 && header.indexSize > 0 ? r.uint(header.indexSize) : 0;
            extents.push({ index, offset: r.uint(header.offsetSize), length: r.uint(header.lengthSize) });
        }
        locations.push({ id, constructionMethod, dataReferenceIndex, baseOffset, extents });
    }
    if (!r.done()) throw new BoxError("'iloc' has bytes after its entries");
    return { ...header, locations };
}

/** `iloc` for the kept items, their offsets mapped to where their bytes land. */
function writeLocations(
    header: ItemLocations,
    kept: readonly Location[],
    mapFile: (offset: number, length: number) => number,
    mapIdat: (offset: number, length: number) => number,
): Uint8Array {
    const w = new Writer()
        .u8(header.version)
        .u24(header.flags)
        .u8((header.offsetSize << 4) | header.lengthSize)
        .u8((header.baseOffsetSize << 4) | header.indexSize);
    if (header.version < 2) w.u16(kept.length);
    else w.u32(kept.length);
    for (const location of kept) {
        const map = location.constructionMethod === 0 ? mapFile : mapIdat;
        const targets = location.extents.map((e) => map(location.baseOffset + e.offset, e.length));
        // A base offset stays a base: the smallest target when the entry has one, else 0.
        const base = header.baseOffsetSize > 0 && location.baseOffset > 0 && targets.length > 0 ? Math.min(...targets) : 0;
        if (header.version < 2) w.u16(location.id);
        else w.u32(location.id);
        if (header.version >= 1) w.u16(location.constructionMethod);
        w.u16(location.dataReferenceIndex).uint(header.baseOffsetSize, base).u16(location.extents.length);
        location.extents.forEach((extent, j) => {
            if (header.version >= 1 && header.indexSize > 0) w.uint(header.indexSize, extent.index);
            w.uint(header.offsetSize, targets[j] - base).uint(header.lengthSize, extent.length);
        });
    }
    return box("iloc", w.bytes());
}

function readReferences(input: Uint8Array, iref: Box): { version: number; flags: number; references: Reference[] } {
    const r = new Reader(input, iref.payload, iref.end, "iref");
    const { version, flags } = r.fullBox();
    const references: Reference[] = [];
    for (const child of readBoxes(input, r.at, iref.end)) {
        const c = new Reader(input, child.payload, child.end, child.type);
        const from = version === 0 ? c.u16() : c.u32();
        const count = c.u16();
        const to: number[] = [];
        for (let i = 0; i < count; i++) to.push(version === 0 ? c.u16() : c.u32());
        if (!c.done()) throw new BoxError(`an 'iref' entry '${printable(child.type)}' has bytes after its references`);
        references.push({ type: child.type, from, to });
    }
    return { version, flags, references };
}

/** `iref` without the removed items' references and targets; undefined when nothing is left. */
function writeReferences(iref: { version: number; flags: number; references: Reference[] }, removed: ReadonlyMap<number, Item>): Uint8Array | undefined {
    const parts: Uint8Array[] = [];
    for (const reference of iref.references) {
        if (removed.has(reference.from)) continue;
        const to = reference.to.filter((id) => !removed.has(id));
        if (to.length === 0) continue;
        const w = new Writer();
        if (iref.version === 0) w.u16(reference.from);
        else w.u32(reference.from);
        w.u16(to.length);
        for (const id of to) {
            if (iref.version === 0) w.u16(id);
            else w.u32(id);
        }
        parts.push(box(reference.type, w.bytes()));
    }
    return parts.length === 0 ? undefined : box("iref", fullBoxHeader(iref.version, iref.flags), ...parts);
}

function readAssociations(input: Uint8Array, ipma: Box): PropertyAssociations {
    const r = new Reader(input, ipma.payload, ipma.end, "ipma");
    const { version, flags } = r.fullBox();
    const count = r.u32();
    const entries: PropertyAssociations["entries"] = [];
    for (let i = 0; i < count; i++) {
        const id = version < 1 ? r.u16() : r.u32();
        const n = r.u8();
        const associations: Association[] = [];
        for (let j = 0; j < n; j++) {
            if (flags & 1) {
                const v = r.u16();
                associations.push({ essential: (v & 0x8000) !== 0, index: v & 0x7fff });
            } else {
                const v = r.u8();
                associations.push({ essential: (v & 0x80) !== 0, index: v & 0x7f });
            }
        }
        entries.push({ id, associations });
    }
    if (!r.done()) throw new BoxError("'ipma' has bytes after its entries");
    return { version, flags, entries };
}

/** `ipma` for the kept items, pointing at the renumbered properties. */
function writeAssociations(ipma: PropertyAssociations, removed: ReadonlyMap<number, Item>, newIndex: readonly number[]): Uint8Array {
    const entries = ipma.entries
        .filter((e) => !removed.has(e.id))
        .map((e) => ({ id: e.id, associations: e.associations.filter((a) => a.index === 0 || newIndex[a.index] > 0) }));
    const w = new Writer().u8(ipma.version).u24(ipma.flags).u32(entries.length);
    for (const entry of entries) {
        if (ipma.version < 1) w.u16(entry.id);
        else w.u32(entry.id);
        w.u8(entry.associations.length);
        for (const a of entry.associations) {
            const index = a.index === 0 ? 0 : newIndex[a.index];
            if (ipma.flags & 1) w.u16((a.essential ? 0x8000 : 0) | index);
            else w.u8((a.essential ? 0x80 : 0) | index);
        }
    }
    return box("ipma", w.bytes());
}

/** Every entity id the entity groups of `grpl` name. */
function entityIds(input: Uint8Array, grpl: Box): number[] {
    const ids: number[] = [];
    for (const group of readBoxes(input, grpl.payload, grpl.end)) {
        const r = new Reader(input, group.payload, group.end, group.type);
        r.fullBox();
        r.u32();
        const count = r.u32();
        for (let i = 0; i < count; i++) ids.push(r.u32());
    }
    return ids;
}
