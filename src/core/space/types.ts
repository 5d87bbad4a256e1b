// Types of the search spaces (data) and of the decoded, concrete networks (block specs).
// A search space is a table; `decode` (decode.ts) turns (space, config, architecture) into a
// plain list of BlockSpec with every channel count resolved. The cost model, the supernet
// builder and the timm exporter all consume BlockSpec: nothing else dispatches on block kind.

export type SpaceId = 'bnnas-mbv2' | 'fairnas-mbv2' | 'spos-shufflenetv2' | 'micro-mbv2' | 'demo-mbv2';
export type Activation = 'relu' | 'relu6' | 'none';

/** One candidate operation of a searchable layer, identified by its choice index (>= 0). */
export type CandidateOp =
  | { kind: 'ir'; label: string; kernel: number; expand: number }
  | { kind: 'shuffle'; label: string; kernel: number }
  | { kind: 'xception'; label: string };

/** A searchable layer as the space table states it (channels before the width multiplier). */
export interface LayerDef {
  /** Output channels at width multiplier 1.0. */
  cout: number;
  stride: 1 | 2;
}

/** A search space as data. Channel counts are at width 1.0; `decode` applies the config. */
export interface SpaceDef {
  id: SpaceId;
  family: 'mbv2' | 'shufflenetv2';
  /** Short name for the UI. */
  title: string;
  /** 'paper': a published search space; 'demo': the built-in demo (learns in ~100 CPU steps); 'test': for tests only. */
  role: 'paper' | 'demo' | 'test';
  description: string;
  /** Stem conv kxk stride 2 from 3 input channels. */
  stem: { cout: number; kernel: number; stride: 1 | 2; act: Activation };
  /** Fixed (not searched) blocks between the stem and the first searchable layer. */
  fixed: Array<{ kind: 'ir'; kernel: number; expand: number; cout: number; stride: 1 | 2; act: Activation }>;
  layers: LayerDef[];
  /** Candidates in choice-index order (index 0..n-1). Identity (-1) is handled separately. */
  candidates: CandidateOp[];
  /** Activation inside the searchable blocks (ReLU6 for MobileNetV2, ReLU for ShuffleNetV2). */
  blockAct: Activation;
  head: { cout: number; act: Activation };
  dropout: number;
  classifierBias: boolean;
  /** Published search-time MAC limit at the 224 / 1000 reference (docs/method.md). */
  defaultMaxMacs: number;
}

/** The identity candidate: an identity followed by a BN (the layer indicator). */
export const IDENTITY = -1;

/** Resolved configuration of a network built from a space. */
export interface SpaceConfig {
  /** Input resolution in pixels (square). 224 is the reference. */
  resolution: number;
  /** Channel width multiplier (MobileNetV2 rounding: nearest multiple of 8, never below 90%). */
  widthMult: number;
  numClasses: number;
  /** Whether normal layers (stride 1, cin = cout) offer the identity candidate -1. */
  identity: boolean;
}

export const REFERENCE_CONFIG: Omit<SpaceConfig, 'identity'> = { resolution: 224, widthMult: 1, numClasses: 1000 };

/** A concrete block with every channel count resolved. BN follows every conv. */
export type BlockSpec =
  /** Plain conv kxk + BN + act (stem, head). */
  | { type: 'conv'; cin: number; cout: number; kernel: number; stride: 1 | 2; act: Activation }
  /**
   * Inverted residual: [1x1 cin->cin*expand, BN, act] (absent when expand = 1), depthwise kxk
   * stride s, BN, act, 1x1 -> cout, BN; residual add when stride 1 and cin = cout.
   */
  | { type: 'ir'; cin: number; cout: number; kernel: number; stride: 1 | 2; expand: number; act: Activation }
  /** ShuffleNetV2 block (SPOS): channel split (stride 1) or projection branch (stride 2), concat, shuffle. */
  | { type: 'shuffle'; cin: number; cout: number; kernel: number; stride: 1 | 2; mid: number }
  /** SPOS Xception block: three dw3x3 + 1x1 pairs on the main branch, otherwise as `shuffle`. */
  | { type: 'xception'; cin: number; cout: number; stride: 1 | 2; mid: number }
  /** Identity candidate: identity + BN at search time; costs nothing in an exported subnet. */
  | { type: 'identity'; channels: number }
  /** Global average pool. */
  | { type: 'pool'; channels: number }
  /** Dropout (train only) then a linear classifier. */
  | { type: 'linear'; cin: number; cout: number; bias: boolean; dropout: number };

/** One searchable layer after decoding the config: its channels and the choices it offers. */
export interface ResolvedLayer {
  layerIdx: number;
  cin: number;
  cout: number;
  stride: 1 | 2;
  /** True when stride 1 and cin = cout (a "normal" layer); only these may take identity. */
  normal: boolean;
  /** Choice indices this layer offers, identity (-1) first when allowed, then 0..n-1. */
  choices: number[];
  /** Input spatial size (square) of this layer at the configured resolution. */
  inputSize: number;
}

/** A decoded supernet skeleton: the fixed prefix, the searchable layers and the fixed suffix. */
export interface ResolvedSpace {
  space: SpaceDef;
  config: SpaceConfig;
  /** Stem and fixed blocks, in order. */
  prefix: BlockSpec[];
  layers: ResolvedLayer[];
  /** Head conv, pool, classifier. */
  suffix: BlockSpec[];
}

/** An architecture: one choice index per searchable layer (-1 = identity). */
export type Arch = number[];
