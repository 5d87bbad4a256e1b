// Retrain-and-verify: a picked subnet as a standalone network, every weight trainable, trained
// from scratch and evaluated on the held-out split, with checkpoints. See docs/search.md.
export * from './recipe.ts';
export * from './subnet.ts';
export * from './trainer.ts';
export * from './evaluate.ts';
export * from './run.ts';
export * from './checkpoint.ts';
