import type { ServiceFactories } from '../composition';

// The one place where finished services are plugged in. Azure (main.ts) and the dev host
// both compose from this map; a service missing here answers 501 NotImplemented.
export const serviceFactories: ServiceFactories = {};
