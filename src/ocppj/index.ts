export * from './messages';
export * from './errors';
export * from './errorCodes';
export { decode, encode, type DecodeResult, type DecodeOptions } from './codec';
