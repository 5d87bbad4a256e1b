// The search spaces (docs/method.md §2) as data. Channel counts are at width 1.0; decode.ts
// applies the configuration (resolution, width multiplier, classes, identity candidate).

import type { CandidateOp, LayerDef, SpaceDef, SpaceId } from './types';

/** MobileNetV2 choices, in BN-NAS's order: 0=k3e3 1=k3e6 2=k5e3 3=k5e6 4=k7e3 5=k7e6. */
export const MBV2_CANDIDATES: readonly CandidateOp[] = [
  { kind: 'ir', label: 'k3e3', kernel: 3, expand: 3 },
  { kind: 'ir', label: 'k3e6', kernel: 3, expand: 6 },
  { kind: 'ir', label: 'k5e3', kernel: 5, expand: 3 },
  { kind: 'ir', label: 'k5e6', kernel: 5, expand: 6 },
  { kind: 'ir', label: 'k7e3', kernel: 7, expand: 3 },
  { kind: 'ir', label: 'k7e6', kernel: 7, expand: 6 },
];

/** ShuffleNetV2 choices, in SPOS's order: 0=shuffle k3, 1=shuffle k5, 2=shuffle k7, 3=xception. */
export const SHUFFLE_CANDIDATES: readonly CandidateOp[] = [
  { kind: 'shuffle', label: 'shuffle-k3', kernel: 3 },
  { kind: 'shuffle', label: 'shuffle-k5', kernel: 5 },
  { kind: 'shuffle', label: 'shuffle-k7', kernel: 7 },
  { kind: 'xception', label: 'xception' },
];

/** Expands (cout, repeats, stride) stages: the first layer of a stage has the stride, the rest 1. */
export function stagesToLayers(stages: ReadonlyArray<readonly [cout: number, repeats: number, stride: 1 | 2]>): LayerDef[] {
  const layers: LayerDef[] = [];
  for (const [cout, repeats, stride] of stages) {
    for (let i = 0; i < repeats; i++) layers.push({ cout, stride: i === 0 ? stride : 1 });
  }
  return layers;
}

/**
 * BN-NAS's MobileNetV2 space (bychen515/BNNAS retrain/model.py): stem 3->40, a fixed IR e1 k3
 * 40->24 (dw3x3 BN ReLU6 + pw BN, no expansion conv), 21 searchable layers, head 1728.
 */
const BNNAS_MBV2: SpaceDef = {
  id: 'bnnas-mbv2',
  title: 'BN-NAS MobileNetV2 (21 layers)',
  role: 'paper',
  family: 'mbv2',
  description: "BN-NAS / SPOS MobileNetV2 space (the paper's setting): 21 layers, 6 IR choices",
  stem: { cout: 40, kernel: 3, stride: 2, act: 'relu6' },
  fixed: [{ kind: 'ir', kernel: 3, expand: 1, cout: 24, stride: 1, act: 'relu6' }],
  layers: stagesToLayers([
    [32, 4, 2],
    [56, 4, 2],
    [112, 4, 2],
    [128, 4, 1],
    [256, 4, 2],
    [432, 1, 1],
  ]),
  candidates: [...MBV2_CANDIDATES],
  blockAct: 'relu6',
  head: { cout: 1728, act: 'relu6' },
  dropout: 0.2,
  classifierBias: true,
  defaultMaxMacs: 475e6,
};

/**
 * FairNAS's MobileNetV2 space (xiaomi-automl/FairNAS models/FairNAS_A.py): stem 3->32, fixed
 * separable dw3x3 BN ReLU6 + pw 32->16 BN (= IR e1 k3), 19 searchable layers, head 1280.
 */
const FAIRNAS_MBV2: SpaceDef = {
  id: 'fairnas-mbv2',
  title: 'FairNAS MobileNetV2 (19 layers)',
  role: 'paper',
  family: 'mbv2',
  description: 'FairNAS MobileNetV2 space: 19 layers, 6 IR choices',
  stem: { cout: 32, kernel: 3, stride: 2, act: 'relu6' },
  fixed: [{ kind: 'ir', kernel: 3, expand: 1, cout: 16, stride: 1, act: 'relu6' }],
  layers: [
    { cout: 32, stride: 2 },
    { cout: 32, stride: 1 },
    { cout: 40, stride: 2 },
    { cout: 40, stride: 1 },
    { cout: 40, stride: 1 },
    { cout: 40, stride: 1 },
    { cout: 80, stride: 2 },
    { cout: 80, stride: 1 },
    { cout: 80, stride: 1 },
    { cout: 80, stride: 1 },
    { cout: 96, stride: 1 },
    { cout: 96, stride: 1 },
    { cout: 96, stride: 1 },
    { cout: 96, stride: 1 },
    { cout: 192, stride: 2 },
    { cout: 192, stride: 1 },
    { cout: 192, stride: 1 },
    { cout: 192, stride: 1 },
    { cout: 320, stride: 1 },
  ],
  candidates: [...MBV2_CANDIDATES],
  blockAct: 'relu6',
  head: { cout: 1280, act: 'relu6' },
  dropout: 0.2,
  classifierBias: true,
  // FairNAS publishes no hard limit (its search is multi-objective); 400M admits FairNAS-A (388M).
  defaultMaxMacs: 400e6,
};

/**
 * SPOS's ShuffleNetV2 space (megvii-model/SinglePathOneShot, ShuffleNetV2_OneShot): stem conv3x3
 * s2 3->16 BN ReLU, no max-pool, stages [4, 4, 8, 4] x [64, 160, 320, 640], first block of each
 * stage stride 2, mid = out / 2, head 640->1024, dropout 0.1, linear without bias.
 */
const SPOS_SHUFFLENETV2: SpaceDef = {
  id: 'spos-shufflenetv2',
  title: 'SPOS ShuffleNetV2 (20 layers)',
  role: 'paper',
  family: 'shufflenetv2',
  description: 'SPOS ShuffleNetV2 space: 20 layers, 4 choices (shuffle k3/k5/k7, xception)',
  stem: { cout: 16, kernel: 3, stride: 2, act: 'relu' },
  fixed: [],
  layers: stagesToLayers([
    [64, 4, 2],
    [160, 4, 2],
    [320, 8, 2],
    [640, 4, 2],
  ]),
  candidates: [...SHUFFLE_CANDIDATES],
  blockAct: 'relu',
  head: { cout: 1024, act: 'relu' },
  dropout: 0.1,
  classifierBias: false,
  defaultMaxMacs: 330e6,
};

/**
 * A two-layer cut of `bnnas-mbv2` (its stem, fixed block and head around ONE stage of two layers,
 * 32 channels, stride 2 then 1, so one reduction layer and one normal layer with the identity
 * candidate). Not a research space: it exists so that a CPU-sized run (tests, a first look in the
 * lab) can see BN-only training learn. The full 21-layer supernet does not learn the synthetic data
 * within a few hundred steps at 16-64 px, in this engine or in an independent PyTorch replica
 * (docs/learnability.md): depth at tiny spatial size and path sampling are the two causes.
 * The MAC limit is a placeholder between its smallest (236M) and largest (353M) subnet at the
 * 224 / 1000 reference (the 1728-channel head runs at 56x56 there), so a limit actually binds.
 */
const MICRO_MBV2: SpaceDef = {
  ...BNNAS_MBV2,
  id: 'micro-mbv2',
  title: 'Micro MobileNetV2 (2 layers, tests)',
  role: 'test',
  description: "bnnas-mbv2 cut to one stage of two layers (tests and quick demos, not research)",
  layers: stagesToLayers([[32, 2, 2]]),
  defaultMaxMacs: 300e6,
};

/**
 * The built-in demo (the default `tiny` preset): `bnnas-mbv2`'s stem, fixed block and candidates
 * around ONE stage of two searchable layers (32 channels, stride 2 then 1: a reduction layer and a
 * normal layer with the identity candidate), with the three expand-3 candidates (k3e3, k5e3, k7e3: kernel size is the
 * choice) and a narrow head (128 channels instead of 1728).
 * Chosen so that BN-only fair training visibly learns the synthetic data within 100 CPU steps
 * (docs/learnability.md): the full 21-layer space does not at CPU sizes, and the wide head is most
 * of a step's cost at 16 px. Not a research space; loading data and choosing a paper space
 * (bnnas-mbv2, fairnas-mbv2, spos-shufflenetv2) trains the paper's setting.
 */
/** The demo's choices: the expand-3 MobileNetV2 blocks, so the kernel size is what differs: 0=k3e3 1=k5e3 2=k7e3. */
const DEMO_CANDIDATES: readonly CandidateOp[] = [MBV2_CANDIDATES[0], MBV2_CANDIDATES[2], MBV2_CANDIDATES[4]];

const DEMO_MBV2: SpaceDef = {
  ...BNNAS_MBV2,
  id: 'demo-mbv2',
  title: 'Demo: 2-layer MobileNetV2 (bnnas-mbv2 cut short)',
  role: 'demo',
  description: 'demo: bnnas-mbv2 cut to one stage of two layers, k3/k5/k7 e3 candidates, 128-channel head; learns the synthetic data in ~100 CPU steps',
  layers: stagesToLayers([[32, 2, 2]]),
  candidates: DEMO_CANDIDATES.map((c) => ({ ...c })),
  head: { cout: 128, act: 'relu6' },
  // No dropout: on a 128-feature head over 100 steps it only adds noise to the loss curve.
  dropout: 0,
  // A placeholder between its smallest (74M) and largest (117M) subnet at the 224 / 1000 reference.
  defaultMaxMacs: 95e6,
};

export const SPACES: Record<SpaceId, SpaceDef> = {
  'bnnas-mbv2': BNNAS_MBV2,
  'fairnas-mbv2': FAIRNAS_MBV2,
  'spos-shufflenetv2': SPOS_SHUFFLENETV2,
  'micro-mbv2': MICRO_MBV2,
  'demo-mbv2': DEMO_MBV2,
};

export const DEFAULT_SPACE_ID: SpaceId = 'bnnas-mbv2';

export const SPACE_IDS = Object.keys(SPACES) as SpaceId[];

export function isSpaceId(id: string): id is SpaceId {
  return Object.prototype.hasOwnProperty.call(SPACES, id);
}

/** The space with this id; throws `Unknown search space "x"; known: a, b, c` otherwise. */
export function getSpace(id: string): SpaceDef {
  if (!isSpaceId(id)) throw new Error(`Unknown search space "${id}"; known: ${SPACE_IDS.join(', ')}`);
  return SPACES[id];
}
