// Below the Search panel: the picked subnet's block diagram (downloadable SVG) and what the timm
// export is for, with the few lines that build it in timm (no link to a repository file).
import { useShallow } from 'zustand/react/shallow';
import { SPACES } from '../../core/space/spaces.ts';
import { useStore } from '../store/index.ts';
import { ArchDiagram } from './ArchDiagram.tsx';

const TIMM_LINES = `# pip install timm torch   (timm 1.0.x; the builder's names are timm-internal)
import json, torch.nn as nn
from timm.models._efficientnet_builder import decode_arch_def
from timm.models.efficientnet import EfficientNet

spec = json.load(open('PICK.timm.json'))          # the file saved with "Download timm arch_def"
model = EfficientNet(
    block_args=decode_arch_def(spec['arch_def']),
    stem_size=spec['stem_size'], fix_stem=spec['fix_stem'],
    num_features=spec['num_features'], num_classes=spec['num_classes'],
    act_layer=nn.ReLU6 if spec['act_layer'] == 'relu6' else nn.ReLU,
    drop_rate=spec['drop_rate'])
assert sum(p.numel() for p in model.parameters()) == spec['expected']['params']`;

export function PickedArchitecture() {
  const s = useStore(
    useShallow((v) => ({
      result: v.searchResult,
      picked: v.searchPicked,
      stale: v.searchResult !== null && v.searchOf !== v.trainChoices,
      timmName: v.searchExports.timm?.filename ?? null,
    })),
  );
  if (s.result === null || s.picked === null || s.stale) return null;
  const space = SPACES[s.result.space];
  const c = s.result.top[s.picked];
  const name = `isonas-${s.result.space}-pick${s.picked + 1}`;
  return (
    <section className="picked-architecture" aria-labelledby="picked-arch-heading">
      <h3 id="picked-arch-heading">The picked subnet at a glance</h3>
      <ArchDiagram space={space} widthMult={s.result.widthMult} arch={c.arch} name={name} />
      {space.family === 'mbv2' && (
        <details className="timm-howto" data-testid="timm-howto">
          <summary>What the timm export is for, and how to build it with timm</summary>
          <p className="note">
            The search runs on a small proxy in the browser; the picked architecture is meant to be retrained at full scale (ImageNet, GPUs). The timm
            export writes it in timm's EfficientNet block-string grammar (<code>arch_def</code>) with the stem, head and class count, plus the parameter and
            MAC counts timm's network must reproduce. These lines build it in Python:
          </p>
          <pre>{TIMM_LINES.replace('PICK.timm.json', s.timmName ?? 'pick.timm.json')}</pre>
          <p className="note">
            Then train it with timm's own <code>train.py</code> (register the builder above as a model with <code>@register_model</code> and pass{' '}
            <code>--model</code>), e.g. SGD, cosine schedule, label smoothing 0.1.
          </p>
        </details>
      )}
    </section>
  );
}
