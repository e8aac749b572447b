import { apps } from './app';
import { forms } from './forms';
import type { UiDefinition } from './types';
import { views } from './views';

export const ui: UiDefinition = { forms, views, apps };
