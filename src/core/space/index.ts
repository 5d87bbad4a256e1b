// Search spaces: data tables, decoding to block specs, and cost (MACs, params).
export * from './types';
export * from './spaces';
export * from './decode';
export * from './cost';
export * from './width';
export * from './spatial';
