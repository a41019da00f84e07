/** Transitional: src/core/pairs.ts still imports from here; remove once it imports sink.ts and decimal.ts directly. */
export type { ByteSink } from './sink';
export { putDecimal } from './decimal';
