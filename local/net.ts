/**
 * Listening on loopback with one clear error when a port is taken, and
 * closing servers without waiting for idle keep-alive sockets. Shared by
 * every server of the local stack.
 */
import * as net from "net";
import type { AddressInfo } from "net";

/** A port that is already taken: the message is the whole story (no stack trace needed). */
export class PortInUseError extends Error {
    constructor(readonly what: string, readonly port: number) {
        super(`${what}: port ${port} on 127.0.0.1 is already in use; pick another port (see --help) or stop what is using it.`);
        this.name = "PortInUseError";
    }
}

interface Listenable {
    listen(port: number, host: string, callback: () => void): unknown;
    once(event: "error", listener: (error: Error) => void): unknown;
    off(event: "error", listener: (error: Error) => void): unknown;
    address(): AddressInfo | string | null;
}

/** Listens on 127.0.0.1:`port` (0 picks a free port); resolves to the bound port. */
export function listenOn(server: Listenable, port: number, what: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const onError = (error: Error) => reject(portError(error, port, what));
        server.once("error", onError);
        server.listen(port, "127.0.0.1", () => {
            server.off("error", onError);
            resolve((server.address() as AddressInfo).port);
        });
    });
}

/** Rejects with {@link PortInUseError} when `port` cannot be bound on 127.0.0.1. */
export async function assertPortFree(port: number, what: string): Promise<void> {
    const probe = net.createServer();
    await listenOn(probe, port, what);
    await new Promise((resolve) => probe.close(resolve));
}

function portError(error: unknown, port: number, what: string): Error {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE" || code === "EACCES") return new PortInUseError(what, port);
    return error instanceof Error ? error : new Error(String(error));
}

interface Closable {
    close(callback: () => void): unknown;
    closeAllConnections?: () => void;
}

/** Closes a server, ending its open connections so close() does not wait on keep-alive sockets. */
export function closeServer(server: Closable): Promise<void> {
    return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
    });
}
