export { FunctionsDevHost, type DevHostOptions, type ServedRoute } from './dev-host';
export { RegistrationRecorder, type Recorded } from './recorder';
export { startFunctionsHost, devSettings, DEFAULT_FUNCTION_KEY, type StartOptions } from './start';
export { parseSchedule, nextOccurrence } from './ncrontab';
export { compileRoute, matchRoute, compareRoutes } from './route-template';
