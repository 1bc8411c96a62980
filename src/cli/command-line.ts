import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * A command's flags parsed strictly: an unknown one (a typo of --help) stops the command with its
 * usage and exit code 2 instead of running it with defaults; -h / --help prints the usage and
 * exits 0.
 */
export function commandLine<O extends Options>(usage: string, options: O, allowPositionals = false) {
  try {
    const parsed = parseArgs({ args: process.argv.slice(2), options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals, strict: true });
    if ((parsed.values as Record<string, unknown>)['help'] === true) {
      process.stdout.write(usage);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** The command failed: its message (a refusal or a configuration problem says what to do) and exit code 1. */
export function commandFailed(error: unknown): never {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
