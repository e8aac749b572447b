export * from './model/types';
export * from './metadata/types';
