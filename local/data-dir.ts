/**
 * The local stack's data folder (default `.local-data/` in the project):
 *
 *   dynamo/            dynalite's LevelDB files (tables and mappings)
 *   s3/                s3rver's buckets and objects
 *   samples.json       the sample image seeded per service, reused on restart
 *   local-stack.json   where everything listens, while the stack runs
 *
 * Everything survives a restart; `--fresh` removes exactly these entries
 * (never anything else a user may have put in the folder).
 */
import * as fs from "fs";
import * as path from "path";

export interface DataLayout {
    root: string;
    dynamo: string;
    s3: string;
    samples: string;
    state: string;
}

export function dataLayout(root: string): DataLayout {
    const absolute = path.resolve(root);
    return {
        root: absolute,
        dynamo: path.join(absolute, "dynamo"),
        s3: path.join(absolute, "s3"),
        samples: path.join(absolute, "samples.json"),
        state: path.join(absolute, "local-stack.json"),
    };
}

/** Creates the folders. */
export function prepareDataDir(layout: DataLayout): void {
    for (const dir of [layout.root, layout.dynamo, layout.s3]) fs.mkdirSync(dir, { recursive: true });
}

/** Removes the local stack's own entries (not the folder, not other files in it). */
export function wipeDataDir(layout: DataLayout): void {
    for (const entry of [layout.dynamo, layout.s3, layout.samples, layout.state]) fs.rmSync(entry, { recursive: true, force: true });
}
