// Process entry of the CLI (kept apart from main.ts so tests can import main without running it).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
