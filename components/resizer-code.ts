/**
 * The resizer's deployment package as a file Pulumi can upload: the zip
 * `buildResizerPackage` makes (resizer/package.ts: the handler bundled by
 * esbuild, sharp and libvips for Linux on the function's architecture),
 * written once per distinct content beside sharp's platform installs
 * (`node_modules/.cache/secure-image-cdn/resizer-<sha256>.zip`). The
 * settings are not in it (they are the function's environment), so one
 * package serves every instance of a program, built once per process.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { buildResizerPackage, DEFAULT_RESIZER_ARCHITECTURE } from "../resizer/package";
import { defaultSharpCacheDir, LambdaArchitecture } from "../resizer/sharp-platform";

const built = new Map<LambdaArchitecture, Promise<string>>();

/** The package's zip file for an architecture: built once per process, its bytes named by their digest. */
export function resizerPackageFile(architecture: LambdaArchitecture = DEFAULT_RESIZER_ARCHITECTURE): Promise<string> {
    let file = built.get(architecture);
    if (file === undefined) {
        file = buildResizerPackage({ architecture }).then(({ zip }) => writeOnce(zip));
        built.set(architecture, file);
        file.catch(() => built.delete(architecture));
    }
    return file;
}

/** The package as the function's `code`: an archive Pulumi uploads from the file. */
export function resizerCode(architecture: LambdaArchitecture = DEFAULT_RESIZER_ARCHITECTURE): pulumi.Output<pulumi.asset.Archive> {
    return pulumi.output(resizerPackageFile(architecture)).apply((file) => new pulumi.asset.FileArchive(file));
}

/** Writes `zip` under its digest unless that file is already there (write then rename: a reader never sees half a file). */
function writeOnce(zip: Buffer): string {
    const dir = defaultSharpCacheDir();
    const file = path.join(dir, `resizer-${createHash("sha256").update(zip).digest("hex").slice(0, 16)}.zip`);
    if (!fs.existsSync(file)) {
        fs.mkdirSync(dir, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, zip);
        fs.renameSync(temporary, file);
    }
    return file;
}
