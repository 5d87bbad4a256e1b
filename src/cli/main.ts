// Headless entry over src/core: `npm run -s cli -- <command> ...` or `isonas <command> ...`.
// Results are JSON on stdout; a wrong argument exits non-zero with one line on stderr.
import { useNodeCpuBackend } from '../core/platform/node.ts';
import { CheckpointError } from '../core/train/checkpointCodec.ts';
import { UsageError } from './args.ts';
import { costCommand, costHelp } from './commands/cost.ts';
import { exportCommand, exportHelp } from './commands/export.ts';
import { isometryCommand, isometryHelp } from './commands/isometry.ts';
import { searchCommand, searchHelp } from './commands/search.ts';
import { scoresCommand, scoresHelp } from './commands/scores.ts';
import { trainCommand, trainHelp } from './commands/train.ts';

const USAGE = ['usage: isonas <command> [options]', ...[costHelp, trainHelp, scoresHelp, searchHelp, exportHelp, isometryHelp].map((h) => `  ${h}`)].join('\n');

function print(obj: object): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'cost':
        print(costCommand(rest));
        return 0;
      case 'train':
        await useNodeCpuBackend();
        await trainCommand(rest, print);
        return 0;
      case 'scores':
        await useNodeCpuBackend();
        print(await scoresCommand(rest));
        return 0;
      case 'search':
        await useNodeCpuBackend();
        print(await searchCommand(rest));
        return 0;
      case 'export':
        await useNodeCpuBackend();
        print(await exportCommand(rest));
        return 0;
      case 'isometry':
        await useNodeCpuBackend();
        print(await isometryCommand(rest));
        return 0;
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (commands: cost, train, scores, search, export, isometry)`);
    }
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    process.stderr.write(`isonas ${command ?? ''}: ${msg}\n`);
    return e instanceof UsageError || e instanceof CheckpointError ? 2 : 1;
  }
}
