// Which parameters a supernet trains: the training modes (pure data, so the protocol and the UI
// can list them; src/core/model/context.ts applies the rule when it creates each parameter).

/**
 * `bn` every BN affine pair; `last-bn` only each candidate's last BN (BN-NAS exactly); `all` every
 * weight (the SPOS baseline).
 */
export type TrainMode = 'bn' | 'last-bn' | 'all';
export const TRAIN_MODES: TrainMode[] = ['bn', 'last-bn', 'all'];
