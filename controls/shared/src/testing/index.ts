export * from './mock-context';
export * from './in-memory-webapi';
export * from './resx';
export { parseFilter, evaluate } from './odata-filter';
export * from './fake-push';
