export * from './model/types';
export * from './metadata/types';
export { model } from './model/model';
export { metadata } from './generated/metadata';
export * from './generated/rows';
