/**
 * The machine an ELF shared object (a Node addon, libvips) was built for,
 * read from its header (System V ABI, ELF header: `e_ident` then
 * `e_machine` at byte 18), so a package can be checked for the
 * architecture its function runs on without loading anything.
 */

/** `e_machine` values of the architectures Lambda runs (System V ABI, processor supplements). */
export const ELF_MACHINES = { x86_64: 62, arm64: 183 } as const;

/** `x86_64`, `arm64`, or `undefined` when `bytes` is not a 64-bit little-endian ELF file of either. */
export function elfArchitecture(bytes: Uint8Array): keyof typeof ELF_MACHINES | undefined {
    if (bytes.length < 20 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) return undefined;
    // EI_CLASS 2: 64-bit; EI_DATA 1: little-endian.
    if (bytes[4] !== 2 || bytes[5] !== 1) return undefined;
    const machine = bytes[18] | (bytes[19] << 8);
    if (machine === ELF_MACHINES.x86_64) return "x86_64";
    if (machine === ELF_MACHINES.arm64) return "arm64";
    return undefined;
}
