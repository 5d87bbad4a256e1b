// A subnet in one table cell: one small bar per searchable layer, coloured by kernel, as tall as
// the expansion, identity as a short grey tick, a notch above stride-2 layers. The full
// architecture is the element's accessible name and tooltip.
import { choiceLabel } from '../../core/space/decode.ts';
import type { SpaceDef } from '../../core/space/types.ts';
import { CATEGORICAL } from '../theme/palette.ts';
import { KERNEL_COLOUR } from './ArchDiagram.tsx';

const BAR = 5;
const GAP = 1;
const H = 18;

function bar(space: SpaceDef, c: number): { h: number; colour: string } {
  if (c < 0) return { h: 3, colour: 'var(--ink-2)' };
  const op = space.candidates[c];
  if (op.kind === 'ir') return { h: op.expand >= 6 ? 14 : op.expand >= 3 ? 10 : 7, colour: KERNEL_COLOUR[op.kernel] ?? CATEGORICAL[4] };
  if (op.kind === 'shuffle') return { h: 11, colour: KERNEL_COLOUR[op.kernel] ?? CATEGORICAL[4] };
  return { h: 14, colour: CATEGORICAL[4] };
}

export function ArchMini({ space, arch }: { space: SpaceDef; arch: number[] }) {
  const text = arch.map((a) => choiceLabel(space, a)).join(' ');
  const W = arch.length * (BAR + GAP);
  return (
    <svg className="arch-mini" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={text} data-testid="arch-mini">
      <title>{text}</title>
      {arch.map((c, l) => {
        const { h, colour } = bar(space, c);
        const x = l * (BAR + GAP);
        return (
          <g key={l}>
            {space.layers[l]?.stride === 2 && <rect x={x} y={0} width={BAR} height={1.5} fill="var(--ink)" />}
            <rect x={x} y={H - h} width={BAR} height={h} fill={colour} />
          </g>
        );
      })}
    </svg>
  );
}
