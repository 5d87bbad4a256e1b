// One CLI run in this process, then its peak resident memory (getrusage maxRSS) as a last JSON
// line on stderr: the child of bench/hostile.ts.
import { main } from '../src/cli/main.ts';

const code = await main(process.argv.slice(2));
process.stderr.write(`${JSON.stringify({ maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
process.exit(code);
