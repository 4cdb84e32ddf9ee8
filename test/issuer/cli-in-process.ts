/**
 * The issuer CLI run in-process (`main(argv, io)`), as the CLI and hostile
 * input tests drive it: from a given folder, with no environment besides
 * what the test passes, its output lines collected.
 */
import { CliIo, main } from "../../issuer/cli";

export interface CliRun {
    code: number;
    stdout: string[];
    stderr: string[];
}

export async function cliInProcess(argv: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const run: CliRun = { code: -1, stdout: [], stderr: [] };
    const io: CliIo = { stdout: (line) => run.stdout.push(line), stderr: (line) => run.stderr.push(line), env, cwd };
    run.code = await main(argv, io);
    return run;
}
