// The picked subnet as a block diagram (SVG): one column per stage (a stride-2 block starts one),
// blocks top to bottom, coloured by kernel (categorical palette), labelled with expansion and
// kernel; a column header gives the stage's output size and channels. Identity layers are left
// out (listed below). "Download SVG" saves the drawing with the theme's colours resolved.
import { useMemo, useRef } from 'react';
import type { SpaceDef } from '../../core/space/types.ts';
import { CATEGORICAL, inkOn } from '../theme/palette.ts';
import { archDiagram, type DiagramBlock } from './archBlocks.ts';
import { errorMessage } from '../../core/errors.ts';

const COL_W = 112;
const GAP = 14;
const HEAD_H = 34;
const BLOCK_H = 30;
const BLOCK_GAP = 6;
const PAD = 8;

/** Kernel 3, 5, 7 -> Okabe-Ito blue, bluish green, orange (the same in both themes). */
export const KERNEL_COLOUR: Record<number, string> = { 3: CATEGORICAL[0], 5: CATEGORICAL[2], 7: CATEGORICAL[1] };

function fill(b: DiagramBlock): string {
  if (b.kind === 'conv' || b.kind === 'head') return 'var(--surface-2)';
  return KERNEL_COLOUR[b.kernel ?? 0] ?? CATEGORICAL[4];
}

function textFill(b: DiagramBlock): string {
  return b.kind === 'conv' || b.kind === 'head' ? 'var(--ink)' : inkOn(fill(b));
}

/** The SVG's markup with every var(--x) replaced by the page's current value (a standalone file). */
function standaloneSvg(svg: SVGSVGElement): string {
  const style = getComputedStyle(document.documentElement);
  const text = new XMLSerializer().serializeToString(svg);
  return text.replace(/var\((--[a-z0-9-]+)\)/g, (_, name: string) => style.getPropertyValue(name).trim() || '#888888');
}

export function ArchDiagram({ space, widthMult, arch, name }: { space: SpaceDef; widthMult: number; arch: number[]; name: string }) {
  const ref = useRef<SVGSVGElement>(null);
  const d = useMemo(() => {
    try {
      return archDiagram(space, widthMult, arch);
    } catch (err) {
      return errorMessage(err);
    }
  }, [space, widthMult, arch]);
  if (typeof d === 'string') return <p className="error">Cannot draw this subnet: {d}</p>;
  const rows = Math.max(...d.stages.map((s) => s.blocks.length));
  const W = PAD * 2 + d.stages.length * COL_W + (d.stages.length - 1) * GAP;
  const H = PAD * 2 + HEAD_H + rows * (BLOCK_H + BLOCK_GAP);
  const download = () => {
    if (!ref.current) return;
    const url = URL.createObjectURL(new Blob([standaloneSvg(ref.current)], { type: 'image/svg+xml' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${name}.svg`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <figure className="chart arch-diagram" data-testid="arch-diagram" data-stages={d.stages.length} data-skipped={d.skipped.length}>
      <figcaption>
        Block diagram at 224 px (columns: stages; header: output size and channels)
        <button type="button" className="small" data-testid="arch-diagram-svg" onClick={download}>
          Download SVG
        </button>
      </figcaption>
      <div className="arch-diagram-scroll">
        <svg ref={ref} xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`Block diagram of the picked subnet: ${d.stages.length} stages`}>
          <rect x={0} y={0} width={W} height={H} fill="var(--surface)" />
          {d.stages.map((s, si) => {
            const x = PAD + si * (COL_W + GAP);
            return (
              <g key={si}>
                {si > 0 && <path d={`M${x - GAP + 2} ${PAD + HEAD_H + BLOCK_H / 2} h${GAP - 4}`} stroke="var(--ink-2)" strokeWidth={1.5} />}
                <text x={x + COL_W / 2} y={PAD + 12} textAnchor="middle" fontSize={11} fontWeight={600} fill="var(--ink)" fontFamily="system-ui, sans-serif">
                  {s.blocks[0].kind === 'head' ? `head → ${d.classes} cls` : `${s.outSize}×${s.outSize}`}
                </text>
                <text x={x + COL_W / 2} y={PAD + 26} textAnchor="middle" fontSize={10} fill="var(--ink-2)" fontFamily="system-ui, sans-serif">
                  {s.cout} ch{s.blocks[0].stride === 2 ? ' · stride 2' : ''}
                </text>
                {s.blocks.map((b, bi) => {
                  const y = PAD + HEAD_H + bi * (BLOCK_H + BLOCK_GAP);
                  return (
                    <g key={bi} data-testid="arch-block" data-layer={b.layer ?? ''}>
                      <title>{`${b.layer === null ? 'fixed' : `layer ${b.layer}`}: ${b.label}, ${b.cin}→${b.cout} ch, stride ${b.stride}, out ${b.outSize}×${b.outSize}`}</title>
                      <rect x={x} y={y} width={COL_W} height={BLOCK_H} rx={5} fill={fill(b)} stroke="var(--border)" />
                      <text x={x + COL_W / 2} y={y + BLOCK_H / 2 + 4} textAnchor="middle" fontSize={11} fill={textFill(b)} fontFamily="system-ui, sans-serif">
                        {b.layer === null ? b.label : `L${b.layer} ${b.label}`}
                      </text>
                    </g>
                  );
                })}
              </g>
            );
          })}
        </svg>
      </div>
      <p className="note">
        Colour by kernel: <span className="key" style={{ background: KERNEL_COLOUR[3] }} /> 3x3 <span className="key" style={{ background: KERNEL_COLOUR[5] }} /> 5x5{' '}
        <span className="key" style={{ background: KERNEL_COLOUR[7] }} /> 7x7. MB<i>e</i>: inverted residual with expansion <i>e</i>; DS: depthwise-separable.{' '}
        {d.skipped.length === 0 ? 'No layer is skipped.' : `Skipped (identity): ${d.skipped.map((l) => `L${l}`).join(', ')}.`}
      </p>
    </figure>
  );
}
