// Headless entry over src/core: `npm run -s cli -- <command> ...` or `isonas <command> ...`.
// Results are JSON on stdout; a wrong argument exits non-zero with one line on stderr.
import { CheckpointError } from '../core/train/checkpointCodec.ts';
import { limitsHelp, UsageError } from './args.ts';
import { LimitError } from '../core/limits.ts';
import { startBackend, takeBackendFlag } from './backendFlag.ts';
import { compareCommand, compareHelp } from './commands/compare.ts';
import { costCommand, costHelp } from './commands/cost.ts';
import { exportCommand, exportHelp } from './commands/export.ts';
import { exportDataCommand, exportDataHelp, exportSupernetCommand, exportSupernetHelp } from './commands/exportSupernet.ts';
import { isometryCommand, isometryHelp } from './commands/isometry.ts';
import { rankcorrCommand, rankcorrHelp } from './commands/rankcorr.ts';
import { retrainCommand, retrainHelp } from './commands/retrain.ts';
import { searchCommand, searchHelp } from './commands/search.ts';
import { scoresCommand, scoresHelp } from './commands/scores.ts';
import { trainCommand, trainHelp } from './commands/train.ts';

function print(obj: object): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

interface Command {
  help: string;
  /** Needs a tfjs backend, wasm or cpu (`--backend`; everything but pure cost arithmetic). */
  tensors: boolean;
  /** Runs the command; a returned object is printed as one JSON line. */
  run(argv: string[]): Promise<object | void> | object;
}

/** The one list of commands: dispatch, usage and the unknown-command message all read it. */
const COMMANDS: Record<string, Command> = {
  cost: { help: costHelp, tensors: false, run: costCommand },
  train: { help: trainHelp, tensors: true, run: (argv) => trainCommand(argv, print) },
  scores: { help: scoresHelp, tensors: true, run: scoresCommand },
  search: { help: searchHelp, tensors: true, run: (argv) => searchCommand(argv, print) },
  export: { help: exportHelp, tensors: true, run: exportCommand },
  'export-supernet': { help: exportSupernetHelp, tensors: true, run: exportSupernetCommand },
  'export-data': { help: exportDataHelp, tensors: false, run: exportDataCommand },
  isometry: { help: isometryHelp, tensors: true, run: isometryCommand },
  retrain: { help: retrainHelp, tensors: true, run: (argv) => retrainCommand(argv, print) },
  rankcorr: { help: rankcorrHelp, tensors: true, run: (argv) => rankcorrCommand(argv, print) },
  compare: { help: compareHelp, tensors: true, run: compareCommand },
};

const USAGE = ['usage: isonas <command> [options] [--backend wasm|cpu] [--threads N]', ...Object.values(COMMANDS).map((c) => `  ${c.help}`), `limits (src/core/limits.ts, docs/data.md): ${limitsHelp()}`].join('\n');

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  try {
    const cmd = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (!cmd) throw new UsageError(`unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')})`);
    const args: ReturnType<typeof takeBackendFlag> = cmd.tensors ? takeBackendFlag(rest) : { argv: rest };
    if (cmd.tensors) await startBackend(args.backend, command, args.threads);
    const out = await cmd.run(args.argv);
    if (out) print(out);
    return 0;
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    process.stderr.write(`isonas ${command}: ${msg}\n`);
    return e instanceof UsageError || e instanceof CheckpointError || e instanceof LimitError ? 2 : 1;
  }
}
