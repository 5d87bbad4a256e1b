// A subnet's architecture as a strip: one bar per searchable layer, coloured by the chosen op's
// kernel, as tall as its expansion (MobileNetV2) or its branch (ShuffleNetV2), identity as a low
// hatched bar; stride-2 layers carry a mark. Plain CSS boxes, no chart library.
import { choiceLabel } from '../../core/space/decode.ts';
import type { SpaceDef } from '../../core/space/types.ts';

const KERNEL_HUE: Record<number, number> = { 3: 210, 5: 140, 7: 30 };

function look(space: SpaceDef, choice: number): { height: number; hue: number } {
  if (choice < 0) return { height: 0.2, hue: 0 };
  const op = space.candidates[choice];
  if (op.kind === 'ir') return { height: op.expand >= 6 ? 1 : op.expand >= 3 ? 0.65 : 0.45, hue: KERNEL_HUE[op.kernel] ?? 280 };
  if (op.kind === 'shuffle') return { height: 0.75, hue: KERNEL_HUE[op.kernel] ?? 280 };
  return { height: 1, hue: 280 }; // xception
}

export function ArchStrip({ space, arch }: { space: SpaceDef; arch: number[] }) {
  return (
    <figure className="chart">
      <div className="arch-strip" data-testid="arch-strip" data-arch={arch.join(',')} role="list">
        {arch.map((c, l) => {
          const { height, hue } = look(space, c);
          const label = choiceLabel(space, c);
          const reduce = space.layers[l]?.stride === 2;
          return (
            <div
              key={l}
              role="listitem"
              className={`arch-layer${c < 0 ? ' identity' : ''}${reduce ? ' reduce' : ''}`}
              data-testid="arch-layer"
              data-choice={c}
              title={`layer ${l}: ${label}${reduce ? ' (stride 2)' : ''}`}
            >
              <div className="arch-bar" style={{ height: `${Math.round(height * 100)}%`, backgroundColor: c < 0 ? undefined : `hsl(${hue} 65% 55%)` }} />
              <span className="arch-label">{label}</span>
            </div>
          );
        })}
      </div>
      <figcaption className="note">
        Layers left to right; colour by kernel (3 blue, 5 green, 7 orange), height by expansion; low hatched bars are identity
        (the layer is skipped); a top mark is a stride-2 layer.
      </figcaption>
    </figure>
  );
}
